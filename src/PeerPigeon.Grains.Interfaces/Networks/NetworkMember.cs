using PeerPigeon.Push;

namespace PeerPigeon.Networks;

/// <summary>A member of a network.</summary>
/// <param name="Route">The gateway holding the member's socket; <see langword="null"/> for a member without a socket (a silo hub).</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Networks.NetworkMember")]
public sealed record NetworkMember([property: Id(0)] DiscoveredPeer Peer, [property: Id(1)] GatewayRoute? Route);
