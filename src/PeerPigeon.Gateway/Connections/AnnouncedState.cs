using PeerPigeon.Peers;

namespace PeerPigeon.Gateway.Connections;

/// <summary>What a socket announced, kept for the lease, <c>/hubs</c> and the gateway's figures.</summary>
/// <param name="RawData">The announce <c>data</c> object as sent (for <c>/hubs</c>), or <c>{}</c>.</param>
internal sealed record AnnouncedState(Announcement Announcement, byte[] RawData, long AnnouncedAt);
