using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Diagnostics;
using PeerPigeon.Gateway.Http;
using PeerPigeon.Gateway.Push;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>Registers the gateway: options, the socket table, the push endpoint, the lease and the endpoints.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway services, bound from <paramref name="configuration"/> and validated at start-up. Call after
    /// the Orleans silo or client is added, so that the push endpoint starts once Orleans is up.
    /// </summary>
    public static IServiceCollection AddPeerPigeonGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration).ValidateOnStart();
        services.AddOptions<AccessOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<IValidateOptions<AccessOptions>, GatewayOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayInstruments>();
        services.AddPeerPigeonMetrics(GatewayInstruments.MeterName);
        services.AddSingleton(provider => new AuthToken(provider.GetRequiredService<IOptions<AccessOptions>>().Value.AuthToken));
        services.AddSingleton<GatewayIdentity>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<MessageHandler>();
        services.AddSingleton<WebSocketEndpoint>();
        services.AddSingleton<StatusEndpoints>();
        services.AddSingleton<RelayDelivery>();
        services.AddSingleton<PushDispatcher>();
        services.AddSingleton<PushEndpoint>();
        services.AddHostedService(provider => provider.GetRequiredService<PushEndpoint>());
        services.AddSingleton<ClusterChanges>();
        services.AddSingleton<GatewayLease>();
        services.AddHostedService(provider => provider.GetRequiredService<GatewayLease>());
        services.AddHostedService<ConnectionDrain>();
        services.AddHostedService<IdleSweeper>();
        services.AddHostedService<MemoryTrimmer>();
        return services;
    }
}
