namespace PeerPigeon.Gateway.Protocol;

/// <summary>The <c>type</c> values of the wire protocol.</summary>
internal static class MessageTypes
{
    public const string Connected = "connected";
    public const string Announce = "announce";
    public const string PeerDiscovered = "peer-discovered";
    public const string PeerDisconnected = "peer-disconnected";
    public const string Goodbye = "goodbye";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Cleanup = "cleanup";
    public const string CleanupAll = "cleanup-all";
    public const string Error = "error";

    /// <summary>
    /// Types relayed to <c>targetPeerId</c>. Not <c>connection-rejected</c>: relaying it breaks the 1.1.3 client's
    /// glare handling (PROTOCOL.md §2), so it gets the unsupported-type error like upstream.
    /// </summary>
    public static readonly IReadOnlySet<string> Relayed = new HashSet<string>(StringComparer.Ordinal)
    {
        "offer", "answer", "ice-candidate",
        "renegotiation-offer", "renegotiation-answer",
        "ice-restart-offer", "ice-restart-answer",
        "recovery-offer",
    };
}
