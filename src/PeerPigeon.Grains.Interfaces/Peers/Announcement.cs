using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>What a peer announced: its network, whether it is shown as a hub, and its announce data.</summary>
/// <param name="Data">The announce data members other than <c>peerId</c>/<c>isHub</c>; see <see cref="DiscoveredPeer.Data"/>.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Peers.Announcement")]
public sealed record Announcement([property: Id(0)] string Network, [property: Id(1)] bool IsHub, [property: Id(2)] byte[] Data);
