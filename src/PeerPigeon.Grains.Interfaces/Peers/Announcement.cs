using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>What a peer announced: its network, whether it is shown as a hub, and its announce data.</summary>
/// <param name="IsHub">
/// From the gateway: whether the announce data said <c>"isHub": true</c>. From the peer grain (in
/// <see cref="AnnounceResult"/>): whether the peer is shown as a hub, which is also the case in the hub namespace.
/// </param>
/// <param name="Data">The announce data members other than <c>peerId</c>/<c>isHub</c>; see <see cref="DiscoveredPeer.Data"/>.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Peers.Announcement")]
public sealed record Announcement([property: Id(0)] string Network, [property: Id(1)] bool IsHub, [property: Id(2)] byte[] Data);
