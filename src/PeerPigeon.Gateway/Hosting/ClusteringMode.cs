namespace PeerPigeon.Gateway.Hosting;

/// <summary>Where the grains run.</summary>
public enum ClusteringMode
{
    /// <summary>In this process (a single-process server).</summary>
    Embedded,

    /// <summary>In silos on this machine, reached as an Orleans client.</summary>
    Localhost,
}
