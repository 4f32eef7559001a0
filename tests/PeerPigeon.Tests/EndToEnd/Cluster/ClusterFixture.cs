using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Cluster;

/// <summary>
/// A silo host with the PeerPigeon grains and two gateways in client mode (<c>ORLEANS_CLUSTERING=localhost</c>),
/// all in this process on free loopback ports, sharing one push transport.
/// </summary>
public abstract class ClusterFixture(PushTransport transport) : IAsyncLifetime
{
    /// <summary>The gateways' <c>CLEANUP_INTERVAL_MS</c>.</summary>
    public const int CleanupIntervalMs = 1000;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private IHost? _silo;
    private GatewayServer? _first;
    private GatewayServer? _second;

    public PushTransport Transport { get; } = transport;

    public GatewayServer First => _first ?? throw new InvalidOperationException("The cluster has not started.");

    public GatewayServer Second => _second ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The settings of the gateways, for starting another one (in a child process).</summary>
    public Dictionary<string, string?> GatewaySettings { get; } = [];

    public async Task InitializeAsync()
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var clusterId = $"e2e-{Guid.NewGuid():N}";
        const string ServiceId = "peerpigeon-e2e";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(ServerFixture.BaseSettings(Transport));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, null, ServiceId, clusterId)
            .Configure<SiloOptions>(options => options.SiloName = "e2e-silo")
            .AddPeerPigeonGrains(builder.Configuration));
        _silo = builder.Build();
        await _silo.StartAsync();

        var gateway = GatewaySettings;
        foreach (var (key, value) in ServerFixture.BaseSettings(Transport))
        {
            gateway[key] = value;
        }

        gateway["ORLEANS_CLUSTERING"] = "localhost";
        gateway["ORLEANS_GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        gateway["ORLEANS_CLUSTER_ID"] = clusterId;
        gateway["ORLEANS_SERVICE_ID"] = ServiceId;

        // Each gateway reports its figures to the cluster every interval (and renews its sockets' leases): a short
        // interval keeps the other gateway's figures fresh for the HTTP tests and exercises the lease constantly.
        gateway["CLEANUP_INTERVAL_MS"] = CleanupIntervalMs.ToString(CultureInfo.InvariantCulture);
        _first = await GatewayServer.StartAsync(gateway);
        _second = await GatewayServer.StartAsync(gateway);
    }

    /// <summary>Stops the silo: the gateways lose the cluster.</summary>
    public async Task StopSiloAsync()
    {
        if (_silo is not null)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _silo.StopAsync(timeout.Token);
            _silo.Dispose();
            _silo = null;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in new[] { _second, _first })
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }
        }

        await StopSiloAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
