namespace PeerPigeon.Gateway.Hosting;

/// <summary>
/// Gives memory back after a burst. An idle server allocates too little to trigger a collection, so what a burst left
/// behind (a flood of frames, large messages) would stay resident indefinitely. Every 10 s, when the GC's committed
/// memory has grown by more than 8 MB since the last trim, one aggressive, compacting collection runs and returns the
/// memory to the OS; at most once a minute, so steady traffic is never taxed.
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    private const long GrowthThreshold = 8L * 1024 * 1024;
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var baseline = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var lastTrim = time.GetTimestamp() - (long)(MinimumInterval.TotalSeconds * time.TimestampFrequency);
        using var timer = new PeriodicTimer(CheckPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (committed - baseline < GrowthThreshold || time.GetElapsedTime(lastTrim) < MinimumInterval)
                {
                    baseline = Math.Min(baseline, committed);
                    continue;
                }

                var started = time.GetTimestamp();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                lastTrim = time.GetTimestamp();
                baseline = GC.GetGCMemoryInfo().TotalCommittedBytes;
                LogTrimmed(logger, committed / (1024 * 1024), baseline / (1024 * 1024), (long)time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Trimmed memory after a burst: GC committed {BeforeMb} MB -> {AfterMb} MB in {PauseMs} ms")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb, long pauseMs);
}
