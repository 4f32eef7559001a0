namespace PeerPigeon.Grains.Hosting;

/// <summary>Where the grains run and how the processes of a cluster find each other.</summary>
public enum ClusteringMode
{
    /// <summary>In the gateway process (a single-process server). Gateway only.</summary>
    Embedded,

    /// <summary>Silos on this machine found by fixed loopback ports (development).</summary>
    Localhost,

    /// <summary>Silos and gateways anywhere, with cluster membership kept in Redis.</summary>
    Redis,
}
