using PeerPigeon.Cluster;
using PeerPigeon.Networks;
using PeerPigeon.Peers;

namespace PeerPigeon;

/// <summary>Typed grain lookups.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The authority for <paramref name="peer"/>.</summary>
    public static IPeerGrain GetPeerGrain(this IGrainFactory factory, PeerId peer) => factory.GetGrain<IPeerGrain>(peer.Value);

    /// <summary>The network named <paramref name="network"/>.</summary>
    public static INetworkGrain GetNetworkGrain(this IGrainFactory factory, string network) => factory.GetGrain<INetworkGrain>(network);

    /// <summary>The one cluster directory.</summary>
    public static IClusterDirectoryGrain GetClusterDirectory(this IGrainFactory factory) => factory.GetGrain<IClusterDirectoryGrain>(0);
}
