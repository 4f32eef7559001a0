using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PeerPigeon.Grains.Diagnostics;
using PeerPigeon.Grains.Hubs;
using PeerPigeon.Grains.Push;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Adds the PeerPigeon grains to a silo.</summary>
public static class PeerPigeonSiloBuilderExtensions
{
    /// <summary>How often the stream transport's pulling agents poll their queues.</summary>
    public static readonly TimeSpan StreamPollingPeriod = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Registers the grains' services and their instruments (meter <see cref="Diagnostics.GrainInstruments.MeterName"/>), binds
    /// <see cref="SignalingOptions"/> from <paramref name="configuration"/> (validated at start-up), registers the silo
    /// as a hub, and adds the stream push transport when <c>PUSH_TRANSPORT=stream</c>.
    /// </summary>
    public static ISiloBuilder AddPeerPigeonGrains(this ISiloBuilder builder, IConfiguration configuration)
    {
        var services = builder.Services;
        services.AddOptions<SignalingOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignalingOptions>, SignalingOptionsValidator>();
        services.TryAddSingleton(GrainClock.System);
        services.AddMetrics();
        services.AddSingleton<GrainInstruments>();
        services.AddSingleton<GatewayPushSender>();
        services.AddSingleton<SiloHub>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<SiloHub>());

        if (ReadPushTransport(configuration) == PushTransport.Stream)
        {
            AddSubscriptionStore(builder, configuration.Get<ClusteringOptions>() ?? new ClusteringOptions());
            builder.AddMemoryStreams(GatewayStreams.ProviderName, streams =>
            {
                streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = StreamPollingPeriod));
                streams.ConfigureBackoffProvider((_, _) => new QueueReaderBackoff());
            });
        }

        return builder;
    }

    /// <summary>
    /// Where the stream transport keeps the gateways' subscriptions (Orleans' PubSub state). In a Redis cluster, in
    /// Redis: the state outlives the silo that held it, so a silo that stops or dies takes no gateway's subscription
    /// with it (in memory it would, and every push to that gateway would be dropped until the gateway re-subscribed).
    /// Each entry expires <see cref="GatewayStreams.SubscriptionLifetime"/> after its last write and live gateways
    /// renew theirs, so the entries of gateways that are gone do not pile up. One silo (embedded) or a development
    /// cluster on localhost keep it in memory.
    /// </summary>
    private static void AddSubscriptionStore(ISiloBuilder builder, ClusteringOptions clustering)
    {
        if (clustering.Mode == ClusteringMode.Redis)
        {
            builder.AddRedisGrainStorage(GatewayStreams.PubSubStoreName, options =>
            {
                options.ConfigurationOptions = ClusteringExtensions.RedisConfiguration(clustering);
                options.EntryExpiry = GatewayStreams.SubscriptionLifetime;
                // A subscription that ends is deleted from Redis, not left as an empty entry.
                options.DeleteStateOnClear = true;
            });
        }
        else
        {
            builder.AddMemoryGrainStorage(GatewayStreams.PubSubStoreName);
        }
    }

    /// <summary>Reads <c>PUSH_TRANSPORT</c> (<c>observer</c> when unset).</summary>
    public static PushTransport ReadPushTransport(IConfiguration configuration)
    {
        var value = configuration["PUSH_TRANSPORT"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return PushTransport.Observer;
        }

        return Enum.TryParse<PushTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport)
            ? transport
            : throw new OptionsValidationException("PUSH_TRANSPORT", typeof(PushTransport),
                [$"PUSH_TRANSPORT='{value}' is unknown: use 'observer' (default) or 'stream'."]);
    }
}
