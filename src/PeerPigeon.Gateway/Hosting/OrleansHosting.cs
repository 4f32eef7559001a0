using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>Chooses where the grains run: in this process (embedded) or in a cluster this gateway is a client of.</summary>
internal static class OrleansHosting
{
    public static void AddPeerPigeonOrleans(this IHostApplicationBuilder builder, ClusteringOptions clustering, GatewayOptions gateway)
    {
        if (clustering.Mode == ClusteringMode.Embedded)
        {
            EmbeddedSilo.Add(builder, clustering, gateway);
            return;
        }

        builder.UseOrleansClient(client =>
        {
            client.UsePeerPigeonClustering(clustering);
            client.AddClusterConnectionStatusObserver<ClusterConnectionMonitor>();
            if (gateway.PushTransport == PushTransport.Stream)
            {
                client.AddMemoryStreams(GatewayStreams.ProviderName);
            }
        });
    }
}
