using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>One socket of a peer: the gateway holding it and a connection id unique to that socket.</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Peers.Attachment")]
public sealed record Attachment([property: Id(0)] GatewayRoute Route, [property: Id(1)] Guid ConnectionId);
