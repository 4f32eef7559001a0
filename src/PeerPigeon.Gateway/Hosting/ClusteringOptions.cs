namespace PeerPigeon.Gateway.Hosting;

/// <summary>How the gateway reaches the grains.</summary>
public sealed class ClusteringOptions
{
    /// <summary>
    /// <c>ORLEANS_CLUSTERING</c>: <c>embedded</c> (default: an in-process silo) or <c>localhost</c> (a client of silos
    /// started with <c>src/PeerPigeon.Silo</c> on this machine).
    /// </summary>
    [ConfigurationKeyName("ORLEANS_CLUSTERING")]
    public ClusteringMode Mode { get; set; } = ClusteringMode.Embedded;

    /// <summary><c>ORLEANS_SILO_PORT</c>: the embedded silo's port. Default 0: a free port is chosen.</summary>
    [ConfigurationKeyName("ORLEANS_SILO_PORT")]
    public int SiloPort { get; set; }

    /// <summary><c>ORLEANS_GATEWAY_PORT</c>: in <c>localhost</c> mode, the silo gateway port to connect to. Default 30000.</summary>
    [ConfigurationKeyName("ORLEANS_GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>ORLEANS_CLUSTER_ID</c>. Default <c>peerpigeon</c>.</summary>
    [ConfigurationKeyName("ORLEANS_CLUSTER_ID")]
    public string ClusterId { get; set; } = "peerpigeon";

    /// <summary><c>ORLEANS_SERVICE_ID</c>: also seeds the silos' stable hub ids. Default <c>peerpigeon</c>.</summary>
    [ConfigurationKeyName("ORLEANS_SERVICE_ID")]
    public string ServiceId { get; set; } = "peerpigeon";
}
