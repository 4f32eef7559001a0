using System.Collections.Immutable;

namespace PeerPigeon.Cluster;

/// <summary>Cluster totals.</summary>
/// <param name="Peers">Connections across all gateways.</param>
/// <param name="Networks">Members per non-empty network, silo hubs included in the hub namespace.</param>
/// <param name="Hubs">Silo hubs, then hub connections.</param>
/// <param name="HubNamespace">The silos' <c>HUB_MESH_NAMESPACE</c>.</param>
/// <param name="SilosAreHubs">The silos' <c>IS_HUB</c>.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Cluster.ClusterSnapshot")]
public sealed record ClusterSnapshot(
    [property: Id(0)] int Gateways,
    [property: Id(1)] int Peers,
    [property: Id(2)] ImmutableDictionary<string, int> Networks,
    [property: Id(3)] ImmutableArray<HubRecord> Hubs,
    [property: Id(4)] string HubNamespace,
    [property: Id(5)] bool SilosAreHubs);
