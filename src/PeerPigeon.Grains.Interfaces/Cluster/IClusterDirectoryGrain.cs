using Orleans.Concurrency;

namespace PeerPigeon.Cluster;

/// <summary>
/// The cluster-wide figures behind <c>/health</c>, <c>/hubs</c>, <c>/stats</c> and <c>/metrics</c>: gateways report
/// their own connections, networks and hub connections; silos register themselves as hubs. A gateway that stops
/// reporting is declared gone after <see cref="GatewayReport.ExpiresAfter"/>: every network that holds members through
/// it (see <see cref="WatchAsync"/>) drops them (one <c>peer-disconnected</c> each), and its peers may reconnect
/// through another gateway.
/// </summary>
[Alias("PeerPigeon.Cluster.IClusterDirectoryGrain")]
public interface IClusterDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores the latest report of one gateway and returns the cluster epoch: it changes whenever grain state may have
    /// been lost (the set of live silos changed, or this directory itself was re-created). A gateway that sees it change
    /// re-asserts its sockets (soft state).
    /// </summary>
    [Alias("ReportGateway")]
    Task<Guid> ReportGatewayAsync(GatewayReport report);

    /// <summary>
    /// The set of live silos changed (reported by every silo for each membership version it sees; older versions are
    /// ignored). Starts a new epoch and tells every known gateway at once with a <see cref="Push.ClusterChangedPush"/>.
    /// </summary>
    [Alias("SilosChanged")]
    Task SilosChangedAsync(long membershipVersion);

    /// <summary>Forgets a gateway that is shutting down.</summary>
    [Alias("RemoveGateway")]
    Task RemoveGatewayAsync(string gatewayId);

    /// <summary>Registers a silo as a hub.</summary>
    [Alias("RegisterSiloHub")]
    Task RegisterSiloHubAsync(HubRecord hub);

    /// <summary>Removes a silo hub.</summary>
    [Alias("UnregisterSiloHub")]
    Task UnregisterSiloHubAsync(PeerId hubId);

    /// <summary>Network <paramref name="network"/> now has members attached through <paramref name="gatewayId"/>.</summary>
    [Alias("Watch"), OneWay]
    Task WatchAsync(string gatewayId, string network);

    /// <summary>Network <paramref name="network"/> no longer has members attached through <paramref name="gatewayId"/>.</summary>
    [Alias("Unwatch"), OneWay]
    Task UnwatchAsync(string gatewayId, string network);

    /// <summary>Whether <paramref name="gatewayId"/> stopped reporting and was declared gone.</summary>
    [Alias("IsGatewayGone")]
    Task<bool> IsGatewayGoneAsync(string gatewayId);

    /// <summary>Returns the cluster totals.</summary>
    [Alias("GetSnapshot")]
    Task<ClusterSnapshot> GetSnapshotAsync();
}
