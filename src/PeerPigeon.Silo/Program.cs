using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using PeerPigeon.Grains.Hosting;

if (args.Any(arg => arg is "--help" or "-h" or "-?"))
{
    Console.Out.Write("""
        PeerPigeon.Orleans silo: hosts the PeerPigeon grains for gateways started with ORLEANS_CLUSTERING=localhost.

        Usage: dotnet run --project src/PeerPigeon.Silo [-- --KEY=value ...]
        Settings (environment variables, appsettings.json or --KEY=value):
          ORLEANS_SILO_PORT          default: 11111   this silo's port
          ORLEANS_GATEWAY_PORT       default: 30000   the port gateways connect to
          ORLEANS_PRIMARY_SILO_PORT  default: 11111   the first silo's port (localhost clustering)
          ORLEANS_CLUSTER_ID         default: peerpigeon
          ORLEANS_SERVICE_ID         default: peerpigeon
          SILO_NAME                  default: silo-<ORLEANS_SILO_PORT>   seeds this silo's stable hub id
          PUSH_TRANSPORT, DUPLICATE_PEER_POLICY, MESSAGE_TTL_MS, MAILBOX_CAPACITY, MAX_DISCOVERY_PEERS,
          HUB_MESH_NAMESPACE, IS_HUB: as for the gateway (README, configuration table).

        """);
    return 0;
}

var builder = Host.CreateApplicationBuilder(args);
var configuration = builder.Configuration;
var siloPort = configuration.GetValue("ORLEANS_SILO_PORT", 11111);
var gatewayPort = configuration.GetValue("ORLEANS_GATEWAY_PORT", 30000);
var primaryPort = configuration.GetValue("ORLEANS_PRIMARY_SILO_PORT", 11111);
var serviceId = configuration.GetValue("ORLEANS_SERVICE_ID", "peerpigeon")!;
var clusterId = configuration.GetValue("ORLEANS_CLUSTER_ID", "peerpigeon")!;
var siloName = configuration.GetValue("SILO_NAME", $"silo-{siloPort}")!;

builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort), serviceId, clusterId)
    .Configure<SiloOptions>(options => options.SiloName = siloName)
    .AddPeerPigeonGrains(configuration));

await builder.Build().RunAsync();
return 0;
