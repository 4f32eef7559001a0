using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Grains.Hosting;

namespace PeerPigeon.Grains.Cluster;

/// <inheritdoc cref="IClusterDirectoryGrain" />
internal sealed partial class ClusterDirectoryGrain(IOptions<SignalingOptions> options, TimeProvider time, ILogger<ClusterDirectoryGrain> logger)
    : Grain, IClusterDirectoryGrain
{
    private const int RememberedGoneGateways = 1024;
    private static readonly TimeSpan ExpiryCheckPeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (GatewayReport Report, DateTimeOffset ExpiresAt)> _gateways = [];
    private readonly Dictionary<PeerId, HubRecord> _siloHubs = [];
    private readonly Dictionary<string, HashSet<string>> _watched = [];
    private readonly HashSet<string> _gone = [];
    private readonly Queue<string> _goneOrder = new();

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

    public Task ReportGatewayAsync(GatewayReport report)
    {
        _gateways[report.GatewayId] = (report, time.GetUtcNow() + report.ExpiresAfter);
        return Task.CompletedTask;
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
        var now = time.GetUtcNow();
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
        var now = time.GetUtcNow();
        foreach (var (gatewayId, (report, _)) in _gateways.Where(entry => entry.Value.ExpiresAt <= now).ToList())
        {
            _gateways.Remove(gatewayId);
            Remember(gatewayId);
            LogGatewayGone(logger, gatewayId, report.Connections);
            if (!_watched.Remove(gatewayId, out var networks))
            {
                continue;
            }

            foreach (var network in networks)
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

    [LoggerMessage(2, LogLevel.Error, "Purging gateway {GatewayId} from network {Network} failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception, string gatewayId, string network);
}
