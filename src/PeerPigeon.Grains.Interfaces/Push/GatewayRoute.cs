namespace PeerPigeon.Push;

/// <summary>
/// Where to push messages for the peers attached to one gateway process. A route with an <see cref="Observer"/> is
/// pushed through that grain observer; a route without one is pushed on the gateway's Orleans stream
/// (<see cref="GatewayStreams"/>). The gateway chooses, grains only follow the route.
/// </summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.GatewayRoute")]
public sealed record GatewayRoute([property: Id(0)] string GatewayId, [property: Id(1)] IGatewayObserver? Observer);
