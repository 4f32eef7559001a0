using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>
/// The embedded host's composition root: the only place in the gateway that knows the grain implementations.
/// With no cluster configured, the gateway hosts a silo in-process (localhost clustering on a free loopback port, no
/// Orleans gateway port) and serves its dashboard.
/// </summary>
internal static class EmbeddedSilo
{
    public static void Add(IHostApplicationBuilder builder, ClusteringOptions clustering, GatewayOptions gateway)
    {
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: 0, serviceId: clustering.ServiceId, clusterId: clustering.ClusterId)
            // Named after the gateway's listener, so the silo's hub id is the same after a restart.
            .Configure<SiloOptions>(silo => silo.SiloName = $"embedded-{gateway.Host}-{gateway.Port}")
            .AddPeerPigeonGrains(builder.Configuration)
            .AddPeerPigeonDashboard());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
