namespace PeerPigeon.Gateway.Protocol;

/// <summary>Size limits on client input that is stored and fanned out.</summary>
internal readonly record struct ProtocolLimits(int MaxNetworkNameLength, int MaxAnnounceDataBytes);
