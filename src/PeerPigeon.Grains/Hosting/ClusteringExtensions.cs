using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;
using OrleansGatewayOptions = Orleans.Configuration.GatewayOptions;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Joins a silo or a gateway's Orleans client to the cluster <see cref="ClusteringOptions"/> describes.</summary>
public static class ClusteringExtensions
{
    /// <summary>How long a silo may leave probes unanswered (three in a row) before the others declare it dead.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How often a gateway re-reads the list of silos it can connect to.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(2);

    /// <summary>How long a grain-to-grain call may take before it fails instead of hanging on a silo that died.</summary>
    public static readonly TimeSpan SiloResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a gateway's grain call may take. A call written to a silo's connection just before the silo died is
    /// never answered; the gateway learns that only from this timeout and then retries once (see the gateway's
    /// <c>ClusterCall</c>). Signaling calls take milliseconds, so a short timeout costs nothing in normal operation.
    /// </summary>
    public static readonly TimeSpan GatewayResponseTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Standalone silo: <c>localhost</c> (fixed loopback ports, the primary silo at <c>ORLEANS_PRIMARY_SILO_PORT</c>) or
    /// <c>redis</c> (membership in Redis, this silo advertised at <c>ORLEANS_ADVERTISED_ADDRESS</c>). Failure detection
    /// is tuned for signaling: a silo killed outright is declared dead in about three seconds.
    /// </summary>
    public static ISiloBuilder UsePeerPigeonClustering(this ISiloBuilder silo, ClusteringOptions clustering, SiloHostOptions host)
    {
        switch (clustering.Mode)
        {
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(host.SiloPort, clustering.GatewayPort,
                    new IPEndPoint(IPAddress.Loopback, host.PrimarySiloPort), clustering.ServiceId, clustering.ClusterId);
                break;
            case ClusteringMode.Redis:
                var address = ResolveAdvertisedAddress(host.AdvertisedAddress);
                silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clustering.ClusterId, clustering.ServiceId))
                    .ConfigureEndpoints(address, host.SiloPort, clustering.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address))
                    .UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(clustering));
                break;
            default:
                throw new InvalidOperationException($"ORLEANS_CLUSTERING={clustering.Mode.ToString().ToLowerInvariant()} cannot host a standalone silo: use 'localhost' or 'redis'.");
        }

        return silo
            .Configure<SiloOptions>(options => options.SiloName = host.EffectiveSiloName)
            .Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = ProbeTimeout;
                options.NumMissedProbesLimit = 3;
            })
            .Configure<SiloMessagingOptions>(options => options.ResponseTimeout = SiloResponseTimeout);
    }

    /// <summary>
    /// A gateway's Orleans client: <c>localhost</c> (the silo gateway at <c>ORLEANS_GATEWAY_PORT</c>) or <c>redis</c>
    /// (every live silo listed in Redis). The client keeps re-reading the silo list, so it reconnects by itself after
    /// losing the whole cluster.
    /// </summary>
    public static IClientBuilder UsePeerPigeonClustering(this IClientBuilder client, ClusteringOptions clustering)
    {
        switch (clustering.Mode)
        {
            case ClusteringMode.Localhost:
                client.UseLocalhostClustering(clustering.GatewayPort, clustering.ServiceId, clustering.ClusterId);
                break;
            case ClusteringMode.Redis:
                client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clustering.ClusterId, clustering.ServiceId))
                    .UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(clustering));
                break;
            default:
                throw new InvalidOperationException($"ORLEANS_CLUSTERING={clustering.Mode.ToString().ToLowerInvariant()} has no cluster to connect to.");
        }

        return client
            .Configure<OrleansGatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod)
            .Configure<ClientMessagingOptions>(options => options.ResponseTimeout = GatewayResponseTimeout);
    }

    /// <summary>An IP address as is; a host name resolved to its first IPv4 address (else its first address).</summary>
    public static IPAddress ResolveAdvertisedAddress(string value)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        var addresses = Dns.GetHostAddresses(value);
        return addresses.FirstOrDefault(candidate => candidate.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"ORLEANS_ADVERTISED_ADDRESS='{value}' does not resolve to an address: use this silo's IP address.");
    }

    /// <summary>The Redis connection of <paramref name="clustering"/>, for membership and anything else kept in Redis.</summary>
    internal static ConfigurationOptions RedisConfiguration(ClusteringOptions clustering)
    {
        var options = ConfigurationOptions.Parse(clustering.RedisConnectionString);
        // Keep retrying while Redis is briefly away instead of failing start-up on the first refusal.
        options.AbortOnConnectFail = false;
        return options;
    }
}
