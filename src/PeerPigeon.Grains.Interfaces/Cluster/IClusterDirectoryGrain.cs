namespace PeerPigeon.Cluster;

/// <summary>
/// The cluster-wide figures behind <c>/health</c>, <c>/hubs</c>, <c>/stats</c> and <c>/metrics</c>: gateways report
/// their own connections, networks and hub connections; silos register themselves as hubs. A gateway that stops
/// reporting drops out after <see cref="GatewayReport.ExpiresAfter"/>.
/// </summary>
[Alias("PeerPigeon.Cluster.IClusterDirectoryGrain")]
public interface IClusterDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the latest report of one gateway.</summary>
    [Alias("ReportGateway")]
    Task ReportGatewayAsync(GatewayReport report);

    /// <summary>Forgets a gateway that is shutting down.</summary>
    [Alias("RemoveGateway")]
    Task RemoveGatewayAsync(string gatewayId);

    /// <summary>Registers a silo as a hub.</summary>
    [Alias("RegisterSiloHub")]
    Task RegisterSiloHubAsync(HubRecord hub);

    /// <summary>Removes a silo hub.</summary>
    [Alias("UnregisterSiloHub")]
    Task UnregisterSiloHubAsync(PeerId hubId);

    /// <summary>Returns the cluster totals.</summary>
    [Alias("GetSnapshot")]
    Task<ClusterSnapshot> GetSnapshotAsync();
}
