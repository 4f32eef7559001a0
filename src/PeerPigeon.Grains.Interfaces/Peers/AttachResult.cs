using System.Collections.Immutable;
using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>The answer to <see cref="IPeerGrain.AttachAsync"/>.</summary>
/// <param name="Accepted">False when another socket holds the id and the duplicate policy is <c>reject</c>.</param>
/// <param name="Pending">Mailbox messages to deliver right after <c>connected</c>, in order.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Peers.AttachResult")]
public sealed record AttachResult([property: Id(0)] bool Accepted, [property: Id(1)] ImmutableArray<RelayPush> Pending);
