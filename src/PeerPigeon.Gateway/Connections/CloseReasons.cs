namespace PeerPigeon.Gateway.Connections;

/// <summary>Close texts sent to clients and departure reasons shown in <c>peer-disconnected</c>.</summary>
internal static class CloseReasons
{
    public const string InvalidPeerId = "Invalid peerId format";
    public const string AlreadyConnected = "Peer already connected";
    public const string MaximumConnections = "Maximum connections reached";
    public const string Replaced = "Replaced by a new connection";
    public const string SendQueueFull = "Send queue full";
    public const string MessageTooBig = "Message too big";
    public const string ShuttingDown = "Server shutting down";
    public const string ClusterUnavailable = "Signaling unavailable";

    /// <summary>The departure reason when the peer closed without a reason or the socket broke.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>The departure reason when the peer stopped answering pings (<c>PEER_TIMEOUT_MS</c>).</summary>
    public const string Timeout = "timeout";
}
