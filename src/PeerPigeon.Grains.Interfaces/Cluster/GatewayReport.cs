using System.Collections.Immutable;
using PeerPigeon.Push;

namespace PeerPigeon.Cluster;

/// <summary>What one gateway holds right now.</summary>
/// <param name="Route">How grains reach the gateway (the directory tells it about cluster changes this way).</param>
/// <param name="Networks">Announced peers per network on this gateway.</param>
/// <param name="Hubs">This gateway's connections that are shown as hubs.</param>
/// <param name="ExpiresAfter">How long the report counts without a newer one.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Cluster.GatewayReport")]
public sealed record GatewayReport(
    [property: Id(0)] GatewayRoute Route,
    [property: Id(1)] int Connections,
    [property: Id(2)] ImmutableDictionary<string, int> Networks,
    [property: Id(3)] ImmutableArray<HubRecord> Hubs,
    [property: Id(4)] TimeSpan ExpiresAfter)
{
    /// <summary>The reporting gateway.</summary>
    public string GatewayId => Route.GatewayId;
}
