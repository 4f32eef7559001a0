namespace PeerPigeon.Bench.Reporting;

/// <summary>Writes a status line to stderr every second until disposed (nothing when quiet).</summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public ProgressLine(bool quiet, Func<string> status)
    {
        var started = TimeProvider.System.GetTimestamp();
        loop = quiet ? Task.CompletedTask : RunAsync(status, started, stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private static async Task RunAsync(Func<string> status, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var elapsed = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
                await Console.Error.WriteLineAsync(FormattableString.Invariant($"[{elapsed,6:0.0}s] {status()}"));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the run is over.
        }
    }
}
