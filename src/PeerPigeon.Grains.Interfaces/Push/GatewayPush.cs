using System.Collections.Immutable;

namespace PeerPigeon.Push;

/// <summary>
/// A message from a grain to the gateway that holds the recipients' sockets. The gateway turns each push into wire
/// frames for its local recipients; recipients that are no longer attached there are skipped.
/// </summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.GatewayPush")]
public abstract record GatewayPush;

/// <summary>Signaling (offer, answer, ice-candidate, …) relayed from <see cref="From"/> to <see cref="Target"/>.</summary>
/// <param name="Data">The raw UTF-8 JSON of the sender's <c>data</c> value, relayed byte for byte.</param>
/// <param name="Timestamp">When the server received it, epoch milliseconds.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.RelayPush")]
public sealed record RelayPush(
    [property: Id(0)] PeerId Target,
    [property: Id(1)] string Type,
    [property: Id(2)] PeerId From,
    [property: Id(3)] string Network,
    [property: Id(4)] byte[] Data,
    [property: Id(5)] long Timestamp) : GatewayPush;

/// <summary>A peer as shown in <c>peer-discovered</c>.</summary>
/// <param name="Data">
/// The members of the peer's announce data object other than <c>peerId</c> and <c>isHub</c>, as raw UTF-8 JSON
/// (<c>"a":1,"b":2</c>, without braces; empty when there are none).
/// </param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.DiscoveredPeer")]
public sealed record DiscoveredPeer([property: Id(0)] PeerId PeerId, [property: Id(1)] bool IsHub, [property: Id(2)] byte[] Data);

/// <summary>Tells every recipient about every one of <see cref="Peers"/> (one <c>peer-discovered</c> each).</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.PeersDiscoveredPush")]
public sealed record PeersDiscoveredPush(
    [property: Id(0)] string Network,
    [property: Id(1)] ImmutableArray<DiscoveredPeer> Peers,
    [property: Id(2)] ImmutableArray<PeerId> Recipients) : GatewayPush;

/// <summary>Tells the recipients that <see cref="Peer"/> left <see cref="Network"/> (one <c>peer-disconnected</c>).</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.PeerDepartedPush")]
public sealed record PeerDepartedPush(
    [property: Id(0)] string Network,
    [property: Id(1)] PeerId Peer,
    [property: Id(2)] bool IsHub,
    [property: Id(3)] string Reason,
    [property: Id(4)] ImmutableArray<PeerId> Recipients) : GatewayPush;

/// <summary>Relays a <c>goodbye</c> from <see cref="From"/> to the recipients.</summary>
/// <param name="Data">The raw UTF-8 JSON of the goodbye's <c>data</c>, or <see langword="null"/> when it had none.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.GoodbyePush")]
public sealed record GoodbyePush(
    [property: Id(0)] string Network,
    [property: Id(1)] PeerId From,
    [property: Id(2)] byte[]? Data,
    [property: Id(3)] long Timestamp,
    [property: Id(4)] ImmutableArray<PeerId> Recipients) : GatewayPush;

/// <summary>Tells <see cref="Target"/> that its <see cref="MessageType"/> to <see cref="Undelivered"/> was not delivered.</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.UndeliveredPush")]
public sealed record UndeliveredPush(
    [property: Id(0)] PeerId Target,
    [property: Id(1)] PeerId Undelivered,
    [property: Id(2)] string MessageType,
    [property: Id(3)] string Network,
    [property: Id(4)] string Error) : GatewayPush
{
    /// <summary>The error text for a target that is not connected.</summary>
    public static string NotConnected(PeerId target) => $"Peer {target} is not connected";

    /// <summary>Tells the sender of <paramref name="message"/> that its target is not connected.</summary>
    public static UndeliveredPush NotConnectedFor(RelayPush message) =>
        new(message.From, message.Target, message.Type, message.Network, NotConnected(message.Target));
}

/// <summary>Closes the socket of <see cref="Target"/> if it is still connection <see cref="ConnectionId"/>.</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.ClosePush")]
public sealed record ClosePush(
    [property: Id(0)] PeerId Target,
    [property: Id(1)] Guid ConnectionId,
    [property: Id(2)] int CloseStatus,
    [property: Id(3)] string Reason) : GatewayPush;

/// <summary>The cluster lost or may have lost grain state (a silo died or joined): re-assert every socket now.</summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Push.ClusterChangedPush")]
public sealed record ClusterChangedPush([property: Id(0)] Guid Epoch) : GatewayPush;
