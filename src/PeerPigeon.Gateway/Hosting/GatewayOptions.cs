using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>The gateway's listener, limits and timers (environment variables or appsettings keys).</summary>
public sealed class GatewayOptions
{
    /// <summary><c>HOST</c>: the address to listen on. Default <c>localhost</c> (loopback only); <c>0.0.0.0</c> for all.</summary>
    [ConfigurationKeyName("HOST")]
    public string Host { get; set; } = "localhost";

    /// <summary><c>PORT</c>: WebSocket and HTTP on the same port. Default 3000; 0 picks a free port.</summary>
    [ConfigurationKeyName("PORT")]
    public int Port { get; set; } = 3000;

    /// <summary><c>MAX_CONNECTIONS</c>: open sockets per gateway. Default 1000.</summary>
    [ConfigurationKeyName("MAX_CONNECTIONS")]
    public int MaxConnections { get; set; } = 1000;

    /// <summary><c>MAX_MESSAGE_SIZE</c>: the largest frame accepted, in bytes; larger ones close the socket with 1009. Default 1048576.</summary>
    [ConfigurationKeyName("MAX_MESSAGE_SIZE")]
    public int MaxMessageSize { get; set; } = 1_048_576;

    /// <summary><c>SEND_QUEUE_BYTES</c>: bytes queued for one socket before it is closed with 1008 <c>Send queue full</c>; at least MAX_MESSAGE_SIZE + 4096. Default 4194304.</summary>
    [ConfigurationKeyName("SEND_QUEUE_BYTES")]
    public int SendQueueBytes { get; set; } = 4 * 1_048_576;

    /// <summary><c>KEEPALIVE_INTERVAL_MS</c>: how often the server sends a WebSocket ping. Default 25000.</summary>
    [ConfigurationKeyName("KEEPALIVE_INTERVAL_MS")]
    public int KeepAliveIntervalMs { get; set; } = 25_000;

    /// <summary><c>PEER_TIMEOUT_MS</c>: a socket that has sent nothing, not even a pong, for this long is closed. Default 300000.</summary>
    [ConfigurationKeyName("PEER_TIMEOUT_MS")]
    public int PeerTimeoutMs { get; set; } = 300_000;

    /// <summary><c>CLEANUP_INTERVAL_MS</c>: how often the gateway re-asserts its peers to the grains (the lease); it reports its figures (its heartbeat) every min(this, 5000) ms. Default 30000.</summary>
    [ConfigurationKeyName("CLEANUP_INTERVAL_MS")]
    public int CleanupIntervalMs { get; set; } = 30_000;

    /// <summary><c>PUSH_TRANSPORT</c>: <c>observer</c> (default) or <c>stream</c>.</summary>
    [ConfigurationKeyName("PUSH_TRANSPORT")]
    public PushTransport PushTransport { get; set; } = PushTransport.Observer;

    /// <summary><c>MAX_NETWORK_NAME_LENGTH</c>: the longest <c>networkName</c> accepted, in characters. Default 256.</summary>
    [ConfigurationKeyName("MAX_NETWORK_NAME_LENGTH")]
    public int MaxNetworkNameLength { get; set; } = 256;

    /// <summary><c>MAX_ANNOUNCE_DATA_BYTES</c>: the largest announce <c>data</c> accepted (it is sent to every member). Default 16384.</summary>
    [ConfigurationKeyName("MAX_ANNOUNCE_DATA_BYTES")]
    public int MaxAnnounceDataBytes { get; set; } = 16_384;

    /// <summary>The limits the protocol layer enforces; announce data can never exceed a frame anyway.</summary>
    internal ProtocolLimits Limits => new(MaxNetworkNameLength, Math.Min(MaxAnnounceDataBytes, MaxMessageSize));
}
