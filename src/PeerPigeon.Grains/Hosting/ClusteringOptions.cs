using Microsoft.Extensions.Configuration;

namespace PeerPigeon.Grains.Hosting;

/// <summary>How the processes of a PeerPigeon cluster find each other; read by silos and gateways alike.</summary>
public sealed class ClusteringOptions
{
    /// <summary>
    /// <c>ORLEANS_CLUSTERING</c>: <c>embedded</c> (the gateway's default: an in-process silo), <c>localhost</c> (silos
    /// started with <c>src/PeerPigeon.Silo</c> on this machine; the silo's default) or <c>redis</c> (membership in Redis).
    /// </summary>
    [ConfigurationKeyName("ORLEANS_CLUSTERING")]
    public ClusteringMode Mode { get; set; } = ClusteringMode.Embedded;

    /// <summary>
    /// <c>REDIS_CONNECTION_STRING</c>: a StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c> or
    /// <c>redis:6379,password=…</c>. Required with <c>ORLEANS_CLUSTERING=redis</c>.
    /// </summary>
    [ConfigurationKeyName("REDIS_CONNECTION_STRING")]
    public string RedisConnectionString { get; set; } = string.Empty;

    /// <summary><c>ORLEANS_CLUSTER_ID</c>: processes with the same cluster id form one cluster. Default <c>peerpigeon</c>.</summary>
    [ConfigurationKeyName("ORLEANS_CLUSTER_ID")]
    public string ClusterId { get; set; } = "peerpigeon";

    /// <summary><c>ORLEANS_SERVICE_ID</c>: stable across deployments; also seeds the silos' hub ids. Default <c>peerpigeon</c>.</summary>
    [ConfigurationKeyName("ORLEANS_SERVICE_ID")]
    public string ServiceId { get; set; } = "peerpigeon";

    /// <summary>
    /// <c>ORLEANS_GATEWAY_PORT</c>: the port a silo accepts gateways (Orleans clients) on; in <c>localhost</c> mode also
    /// the port a gateway connects to. Default 30000.
    /// </summary>
    [ConfigurationKeyName("ORLEANS_GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;
}
