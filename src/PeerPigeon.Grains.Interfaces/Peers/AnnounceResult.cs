using System.Collections.Immutable;
using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>The answer to <see cref="IPeerGrain.AnnounceAsync"/>.</summary>
/// <param name="Accepted">False when the socket is no longer the attached one (it was replaced).</param>
/// <param name="Pending">Mailbox messages for the announced network, to deliver now, in order.</param>
/// <param name="Announcement">The announcement as the cluster sees it (hub flag decided by the silos' settings).</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Peers.AnnounceResult")]
public sealed record AnnounceResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] ImmutableArray<RelayPush> Pending,
    [property: Id(2)] Announcement? Announcement = null);
