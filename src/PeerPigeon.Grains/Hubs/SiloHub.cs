using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PeerPigeon.Cluster;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Networks;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Hubs;

/// <summary>
/// This silo's part in the hub mesh and in cluster changes. Once the silo is active it registers as a PeerPigeon hub
/// (listed in <c>/hubs</c>, an <c>isHub:true</c> member of the hub namespace) and re-asserts that registration every
/// <see cref="RefreshPeriod"/> (soft state: the grains holding it may be lost with another silo). It follows cluster
/// membership, the source of truth for which silos are alive: a silo declared dead loses its hub entry (one
/// <c>peer-disconnected</c> to the hub namespace), and every change of the live set is reported to the cluster directory
/// so that gateways re-assert their sockets. On shutdown the silo removes its own hub.
/// The hub id is stable: derived from the service id and the silo's name.
/// </summary>
internal sealed partial class SiloHub(
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IOptions<ClusterOptions> cluster,
    IOptions<SignalingOptions> options,
    IGrainFactory grains,
    GrainClock clock,
    ILogger<SiloHub> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    internal const string SiloGoneReason = "Silo unavailable";
    internal static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SignalingOptions _options = options.Value;
    private Task _running = Task.CompletedTask;

    // Whether the hub namespace has been told about this hub (a registration with discovery has succeeded).
    private bool _introduced;

    /// <summary>This silo's hub peer id.</summary>
    public PeerId HubId { get; } = SiloHubId.Create(cluster.Value.ServiceId, silo.Name);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloHub), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public void Dispose() => _stopping.Dispose();

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.IsHub)
        {
            try
            {
                await RegisterAsync(discover: true);
                LogRegistered(logger, HubId, _options.HubMeshNamespace);
            }
            catch (Exception exception)
            {
                // A silo joining a cluster whose membership still lists dead silos (all of them restarted at once) can
                // fail its first grain calls; the registration is soft state that the refresh loop retries, so this
                // must not fail the silo's start.
                LogRegisterFailed(logger, exception, HubId, RefreshPeriod);
            }
        }

        _running = Task.WhenAll(FollowMembershipAsync(_stopping.Token), RefreshAsync(_stopping.Token));
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        // Bounded: the membership update stream ends at its next update, which may never come while the silo stops.
        await Task.WhenAny(_running, Task.Delay(StopWait, CancellationToken.None));
        if (!_options.IsHub)
        {
            return;
        }

        try
        {
            await RemoveHubAsync(HubId, "Silo shutting down");
        }
        catch (Exception exception)
        {
            // The rest of the cluster may already be gone; the survivors purge this hub when membership declares it dead.
            LogUnregisterFailed(logger, exception, HubId);
        }
    }

    private async Task RegisterAsync(bool discover)
    {
        var endpoint = silo.SiloAddress.Endpoint;
        var members = $"\"host\":\"{endpoint.Address}\",\"port\":{endpoint.Port},\"capabilities\":[\"signaling\",\"relay\"],\"silo\":\"{silo.SiloAddress.ToParsableString()}\"";
        var now = clock.UtcNow.ToUnixTimeMilliseconds();
        var hub = new HubRecord(HubId, now, now, _options.HubMeshNamespace, Encoding.UTF8.GetBytes($"{{\"isHub\":true,{members}}}"), now);
        await grains.GetClusterDirectory().RegisterSiloHubAsync(hub);
        await grains.GetNetworkGrain(_options.HubMeshNamespace)
            .JoinAsync(new NetworkMember(new DiscoveredPeer(HubId, true, Encoding.UTF8.GetBytes(members)), null), discover);
        _introduced |= discover;
    }

    private async Task RemoveHubAsync(PeerId hubId, string reason)
    {
        await grains.GetNetworkGrain(_options.HubMeshNamespace).RemoveSiloHubAsync(hubId, reason);
        await grains.GetClusterDirectory().UnregisterSiloHubAsync(hubId);
    }

    /// <summary>
    /// Re-asserts this silo's hub in case the grains holding it were lost: silently, or with discovery while the first
    /// registration has not succeeded yet.
    /// </summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsHub)
        {
            return;
        }

        using var timer = new PeriodicTimer(RefreshPeriod, clock.Time);
        while (await NextTickAsync(timer, cancellationToken))
        {
            try
            {
                await RegisterAsync(discover: !_introduced);
            }
            catch (Exception exception)
            {
                LogRefreshFailed(logger, exception, HubId);
            }
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
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

    private async Task FollowMembershipAsync(CancellationToken cancellationToken)
    {
        var live = new HashSet<SiloAddress>();
        var seen = new HashSet<SiloAddress>(); // active at some point and not yet reported dead
        var leaving = new HashSet<SiloAddress>(); // seen shutting down: such a silo removes its own hub
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var now = snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).ToHashSet();
                seen.UnionWith(now);
                leaving.UnionWith(snapshot.Members.Values
                    .Where(member => member.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping)
                    .Select(member => member.SiloAddress));
                // A silo that stops gracefully goes through ShuttingDown and Stopping before Dead: report it once, when dead.
                var dead = snapshot.Members.Values
                    .Where(member => member.Status == SiloStatus.Dead && seen.Remove(member.SiloAddress))
                    .ToList();
                if (now.SetEquals(live) && dead.Count == 0)
                {
                    continue;
                }

                live = now;
                await ReportChangeAsync(snapshot.Version.Value, [.. dead.Select(member => (member, leaving.Remove(member.SiloAddress)))]);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportChangeAsync(long version, List<(ClusterMember Member, bool LeftByItself)> dead)
    {
        try
        {
            // First the new epoch (gateways re-assert their sockets at once), then the dead silos' hubs.
            await grains.GetClusterDirectory().SilosChangedAsync(version);
            foreach (var (member, leftByItself) in dead)
            {
                var hubId = SiloHubId.Create(cluster.Value.ServiceId, member.Name);
                LogSiloDead(logger, member.SiloAddress, hubId);
                if (!_options.IsHub)
                {
                    continue;
                }

                if (leftByItself)
                {
                    // It announced its departure while stopping; only make sure the directory forgot it.
                    await grains.GetClusterDirectory().UnregisterSiloHubAsync(hubId);
                }
                else
                {
                    await RemoveHubAsync(hubId, SiloGoneReason);
                }
            }
        }
        catch (Exception exception)
        {
            LogChangeFailed(logger, exception, version);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Silo registered as hub {HubId} in {Network}")]
    private static partial void LogRegistered(ILogger logger, PeerId hubId, string network);

    [LoggerMessage(2, LogLevel.Warning, "Silo hub {HubId} could not unregister")]
    private static partial void LogUnregisterFailed(ILogger logger, Exception exception, PeerId hubId);

    [LoggerMessage(3, LogLevel.Warning, "Silo hub {HubId} could not re-assert its registration; retrying next period")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, PeerId hubId);

    [LoggerMessage(4, LogLevel.Warning, "Silo {Silo} was declared dead; its hub {HubId} is removed")]
    private static partial void LogSiloDead(ILogger logger, SiloAddress silo, PeerId hubId);

    [LoggerMessage(5, LogLevel.Error, "Reporting membership version {Version} to the cluster directory failed")]
    private static partial void LogChangeFailed(ILogger logger, Exception exception, long version);

    [LoggerMessage(6, LogLevel.Warning, "Silo hub {HubId} could not register at start-up; retrying every {Period}")]
    private static partial void LogRegisterFailed(ILogger logger, Exception exception, PeerId hubId, TimeSpan period);
}
