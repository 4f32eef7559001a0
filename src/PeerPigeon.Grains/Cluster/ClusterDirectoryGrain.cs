using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Push;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Cluster;

/// <inheritdoc cref="IClusterDirectoryGrain" />
internal sealed partial class ClusterDirectoryGrain(
    IOptions<SignalingOptions> options,
    GatewayPushSender sender,
    GrainClock clock,
    ILogger<ClusterDirectoryGrain> logger) : Grain, IClusterDirectoryGrain
{
    private const int RememberedGoneGateways = 1024;
    private static readonly TimeSpan ExpiryCheckPeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (GatewayReport Report, DateTimeOffset ExpiresAt)> _gateways = [];
    private readonly Dictionary<PeerId, HubRecord> _siloHubs = [];
    private readonly Dictionary<string, HashSet<string>> _watched = [];
    private readonly HashSet<string> _gone = [];
    private readonly Queue<string> _goneOrder = new();

    // A new activation starts a new epoch: whatever the previous one knew may be lost with its silo.
    private Guid _epoch = Guid.NewGuid();
    private long _membershipVersion = -1;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Reports and registrations are re-asserted periodically; keep the aggregate between them.
        DelayDeactivation(TimeSpan.FromDays(365));
        this.RegisterGrainTimer(ExpireGatewaysAsync, ExpiryCheckPeriod, ExpiryCheckPeriod);
        return Task.CompletedTask;
    }

    public Task<bool> IsGatewayGoneAsync(string gatewayId) => Task.FromResult(_gone.Contains(gatewayId));

    public Task WatchAsync(string gatewayId, string network)
    {
        if (!_watched.TryGetValue(gatewayId, out var networks))
        {
            _watched[gatewayId] = networks = [];
        }

        networks.Add(network);
        return Task.CompletedTask;
    }

    public Task UnwatchAsync(string gatewayId, string network)
    {
        if (_watched.TryGetValue(gatewayId, out var networks) && networks.Remove(network) && networks.Count == 0)
        {
            _watched.Remove(gatewayId);
        }

        return Task.CompletedTask;
    }

    public Task<Guid> ReportGatewayAsync(GatewayReport report)
    {
        _gateways[report.GatewayId] = (report, clock.UtcNow + report.ExpiresAfter);
        return Task.FromResult(_epoch);
    }

    public async Task SilosChangedAsync(long membershipVersion)
    {
        if (membershipVersion <= _membershipVersion)
        {
            return;
        }

        var first = _membershipVersion < 0;
        _membershipVersion = membershipVersion;
        if (first)
        {
            // This activation's epoch is already new; gateways learn it from their next report.
            return;
        }

        _epoch = Guid.NewGuid();
        LogSilosChanged(logger, membershipVersion, _gateways.Count);
        var push = new ClusterChangedPush(_epoch);
        await Task.WhenAll(_gateways.Values.Select(entry => TellAsync(entry.Report.Route, push)));
    }

    private async Task TellAsync(GatewayRoute route, ClusterChangedPush push)
    {
        try
        {
            await sender.PushAsync(route, push);
        }
        catch (Exception exception)
        {
            // The gateway still learns the epoch from its next report.
            LogTellFailed(logger, exception, route.GatewayId);
        }
    }

    public Task RemoveGatewayAsync(string gatewayId)
    {
        // A gateway that stops cleanly detached its sockets first; its networks have nothing left to purge.
        _gateways.Remove(gatewayId);
        return Task.CompletedTask;
    }

    public Task RegisterSiloHubAsync(HubRecord hub)
    {
        _siloHubs[hub.PeerId] = hub;
        return Task.CompletedTask;
    }

    public Task UnregisterSiloHubAsync(PeerId hubId)
    {
        _siloHubs.Remove(hubId);
        return Task.CompletedTask;
    }

    public Task<ClusterSnapshot> GetSnapshotAsync()
    {
        var now = clock.UtcNow;
        var reports = _gateways.Values.Where(entry => entry.ExpiresAt > now).Select(entry => entry.Report).ToList();
        var networks = new Dictionary<string, int>();
        foreach (var (network, count) in reports.SelectMany(report => report.Networks))
        {
            networks[network] = networks.GetValueOrDefault(network) + count;
        }

        if (_siloHubs.Count > 0)
        {
            var hubNamespace = options.Value.HubMeshNamespace;
            networks[hubNamespace] = networks.GetValueOrDefault(hubNamespace) + _siloHubs.Count;
        }

        return Task.FromResult(new ClusterSnapshot(
            reports.Count,
            reports.Sum(report => report.Connections),
            networks.ToImmutableDictionary(),
            [.. _siloHubs.Values, .. reports.SelectMany(report => report.Hubs)],
            options.Value.HubMeshNamespace,
            options.Value.IsHub));
    }

    /// <summary>Declares gateways that stopped reporting gone and has the networks they held members of drop them.</summary>
    private async Task ExpireGatewaysAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        foreach (var (gatewayId, (report, _)) in _gateways.Where(entry => entry.Value.ExpiresAt <= now).ToList())
        {
            _gateways.Remove(gatewayId);
            Remember(gatewayId);
            LogGatewayGone(logger, gatewayId, report.Connections);
            // Watches since the last report, and the report itself (which survives a directory that lost its watches).
            _watched.Remove(gatewayId, out var watched);
            foreach (var network in report.Networks.Keys.Union(watched ?? []))
            {
                try
                {
                    await GrainFactory.GetNetworkGrain(network).PurgeGatewayAsync(gatewayId);
                }
                catch (Exception exception)
                {
                    LogPurgeFailed(logger, exception, gatewayId, network);
                }
            }
        }
    }

    private void Remember(string gatewayId)
    {
        if (_gone.Add(gatewayId))
        {
            _goneOrder.Enqueue(gatewayId);
            if (_goneOrder.Count > RememberedGoneGateways)
            {
                _gone.Remove(_goneOrder.Dequeue());
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Gateway {GatewayId} stopped reporting; its {Connections} peers are announced as departed")]
    private static partial void LogGatewayGone(ILogger logger, string gatewayId, int connections);

    [LoggerMessage(3, LogLevel.Information, "Live silos changed (membership version {Version}); {Gateways} gateways told to re-assert their sockets")]
    private static partial void LogSilosChanged(ILogger logger, long version, int gateways);

    [LoggerMessage(4, LogLevel.Warning, "Could not tell gateway {GatewayId} about a cluster change")]
    private static partial void LogTellFailed(ILogger logger, Exception exception, string gatewayId);

    [LoggerMessage(2, LogLevel.Error, "Purging gateway {GatewayId} from network {Network} failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception, string gatewayId, string network);
}
