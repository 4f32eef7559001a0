using System.Collections.Immutable;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Gateway.Push;
using PeerPigeon.Peers;

namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// The gateway's lease on the cluster. Every <see cref="ReportInterval"/> (at most 5 s) it reports its figures to the
/// cluster directory, which doubles as its heartbeat: a gateway silent for three intervals is declared gone and its
/// peers are announced as departed. Every <c>CLEANUP_INTERVAL_MS</c> it re-asserts each attached socket to its peer
/// grain (soft state), closing sockets that another connection superseded.
/// </summary>
internal sealed partial class GatewayLease(
    ConnectionRegistry registry,
    PushEndpoint push,
    GatewayIdentity identity,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayLease> logger) : BackgroundService
{
    private const int RenewalConcurrency = 16;
    private static readonly TimeSpan MaxReportInterval = TimeSpan.FromSeconds(5);

    private TimeSpan RenewInterval => TimeSpan.FromMilliseconds(options.Value.CleanupIntervalMs);

    /// <summary>How often the gateway reports (its heartbeat).</summary>
    internal TimeSpan ReportInterval => RenewInterval < MaxReportInterval ? RenewInterval : MaxReportInterval;

    /// <summary>Sends this gateway's current figures to the directory (also done before answering HTTP figures).</summary>
    public Task ReportAsync()
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
        var report = new GatewayReport(identity.Id, registry.OpenCount, networks, hubs, ReportInterval * 3);
        return grains.GetClusterDirectory().ReportGatewayAsync(report);
    }

    /// <summary>Reports and re-asserts every socket now (after the client regained the cluster).</summary>
    public async Task RenewNowAsync()
    {
        await ReportAsync();
        await RenewAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReportInterval, time);
        var lastRenewal = time.GetTimestamp();
        do
        {
            try
            {
                await ReportAsync();
                if (time.GetElapsedTime(lastRenewal) >= RenewInterval)
                {
                    lastRenewal = time.GetTimestamp();
                    await RenewAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogLeaseFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await grains.GetClusterDirectory().RemoveGatewayAsync(identity.Id);
        }
        catch (Exception exception)
        {
            LogLeaseFailed(logger, exception);
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
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

                var status = await grains.GetPeerGrain(connection.PeerId)
                    .RenewAsync(new Attachment(push.Route, connection.ConnectionId), connection.Announced?.Announcement);
                if (status == LeaseStatus.Superseded)
                {
                    connection.Close(WebSocketCloseStatus.PolicyViolation, CloseReasons.Replaced);
                }
            });
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Gateway lease renewal or report failed; retrying next interval")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception);
}
