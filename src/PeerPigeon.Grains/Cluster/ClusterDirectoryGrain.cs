using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Grains.Hosting;

namespace PeerPigeon.Grains.Cluster;

/// <inheritdoc cref="IClusterDirectoryGrain" />
internal sealed class ClusterDirectoryGrain(IOptions<SignalingOptions> options, TimeProvider time) : Grain, IClusterDirectoryGrain
{
    private readonly Dictionary<string, (GatewayReport Report, DateTimeOffset ExpiresAt)> _gateways = [];
    private readonly Dictionary<PeerId, HubRecord> _siloHubs = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Reports and registrations are re-asserted periodically; keep the aggregate between them.
        DelayDeactivation(TimeSpan.FromDays(365));
        return Task.CompletedTask;
    }

    public Task ReportGatewayAsync(GatewayReport report)
    {
        _gateways[report.GatewayId] = (report, time.GetUtcNow() + report.ExpiresAfter);
        return Task.CompletedTask;
    }

    public Task RemoveGatewayAsync(string gatewayId)
    {
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
        foreach (var expired in _gateways.Where(entry => entry.Value.ExpiresAt <= now).Select(entry => entry.Key).ToList())
        {
            _gateways.Remove(expired);
        }

        var reports = _gateways.Values.Select(entry => entry.Report).ToList();
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
}
