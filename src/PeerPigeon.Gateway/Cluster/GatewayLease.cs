using System.Collections.Immutable;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Gateway.Push;
using PeerPigeon.Peers;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// The gateway's lease on the cluster. Every <see cref="ReportInterval"/> (at most 2 s) it reports its figures to the
/// cluster directory, which doubles as its heartbeat: a gateway silent for three intervals is declared gone and its
/// peers are announced as departed. Every <c>CLEANUP_INTERVAL_MS</c> it re-asserts each attached socket to its peer
/// grain (soft state), closing sockets that another connection superseded. When the cluster changes (a new epoch in
/// the directory's answer, a <see cref="ClusterChanges"/> signal) it resumes the push endpoint and re-asserts at once,
/// and once more on the next tick, since grains of a dead silo are re-created over a few hundred milliseconds.
/// Sockets whose re-assertion failed are retried on the next tick. It also resumes the push endpoint every
/// <see cref="GatewayStreams.SubscriptionRefreshPeriod"/>, renewing a stream subscription kept in Redis.
/// </summary>
internal sealed partial class GatewayLease(
    ConnectionRegistry registry,
    PushEndpoint push,
    GatewayIdentity identity,
    ClusterChanges changes,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayLease> logger) : BackgroundService
{
    private const int RenewalConcurrency = 16;
    private static readonly TimeSpan MaxReportInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _epochLock = new();
    private Guid? _epoch;

    private TimeSpan RenewInterval => TimeSpan.FromMilliseconds(options.Value.CleanupIntervalMs);

    /// <summary>How often the gateway reports (its heartbeat).</summary>
    internal TimeSpan ReportInterval => RenewInterval < MaxReportInterval ? RenewInterval : MaxReportInterval;

    /// <summary>Sends this gateway's current figures to the directory (also done before answering HTTP figures).</summary>
    public async Task ReportAsync()
    {
        var attached = registry.Attached.ToList();
        var networks = attached
            .Where(connection => connection.Announced is not null)
            .GroupBy(connection => connection.Network)
            .ToImmutableDictionary(group => group.Key, group => group.Count());
        var hubs = attached
            .Where(connection => connection.Announced is { Announcement.IsHub: true })
            .Select(connection => new HubRecord(
                connection.PeerId,
                connection.Announced!.AnnouncedAt,
                connection.LastActivity,
                connection.Network,
                connection.Announced.RawData,
                connection.ConnectedAt))
            .ToImmutableArray();
        var report = new GatewayReport(push.Route, registry.OpenCount, networks, hubs, ReportInterval * 3);
        var epoch = await grains.GetClusterDirectory().ReportGatewayAsync(report);
        bool changed;
        lock (_epochLock)
        {
            changed = _epoch is { } known && known != epoch;
            _epoch = epoch;
        }

        if (changed)
        {
            LogNewEpoch(logger);
            changes.Signal();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRenewal = time.GetTimestamp();
        var lastResume = lastRenewal;
        var renewAgain = false;
        var changed = false; // a cluster change not handled yet: kept until the push endpoint resumed and sockets renewed
        do
        {
            try
            {
                await ReportAsync();
                if (changed || time.GetElapsedTime(lastResume) >= GatewayStreams.SubscriptionRefreshPeriod)
                {
                    await push.ResumeAsync();
                    lastResume = time.GetTimestamp();
                }

                if (changed || renewAgain || time.GetElapsedTime(lastRenewal) >= RenewInterval)
                {
                    lastRenewal = time.GetTimestamp();
                    var failed = await RenewAsync(stoppingToken);
                    renewAgain = changed || failed > 0;
                    if (failed > 0)
                    {
                        LogRenewalsFailed(logger, failed);
                    }
                }

                changed = false;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogLeaseFailed(logger, exception);
                renewAgain = true;
            }

            changed |= await changes.WaitAsync(ReportInterval, time, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Bounded: when the whole cluster stops at once, the silo may refuse the call without the refusal arriving.
            await grains.GetClusterDirectory().RemoveGatewayAsync(identity.Id).WaitAsync(StopTimeout, cancellationToken);
        }
        catch (Exception exception)
        {
            LogLeaseFailed(logger, exception);
        }
    }

    /// <summary>Re-asserts every attached socket; returns how many re-assertions failed.</summary>
    private async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var failed = 0;
        try
        {
            await Parallel.ForEachAsync(
                registry.Attached.ToList(),
                new ParallelOptions { MaxDegreeOfParallelism = RenewalConcurrency, CancellationToken = cancellationToken },
                async (connection, _) =>
                {
                    if (!connection.IsAttached)
                    {
                        return;
                    }

                    try
                    {
                        var status = await grains.GetPeerGrain(connection.PeerId)
                            .RenewAsync(new Attachment(push.Route, connection.ConnectionId), connection.Announced?.Announcement);
                        if (status == LeaseStatus.Superseded)
                        {
                            connection.Close(WebSocketCloseStatus.PolicyViolation, CloseReasons.Replaced);
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return failed;
    }

    [LoggerMessage(1, LogLevel.Warning, "Gateway lease renewal or report failed; retrying next interval")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "The cluster directory started a new epoch; re-asserting every socket")]
    private static partial void LogNewEpoch(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "{Failed} socket re-assertions failed; retrying next interval")]
    private static partial void LogRenewalsFailed(ILogger logger, int failed);
}
