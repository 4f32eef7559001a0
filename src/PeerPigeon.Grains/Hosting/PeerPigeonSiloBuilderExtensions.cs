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
            builder.AddMemoryGrainStorage(GatewayStreams.PubSubStoreName);
            builder.AddMemoryStreams(GatewayStreams.ProviderName, streams =>
            {
                streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = StreamPollingPeriod));
                streams.ConfigureBackoffProvider((_, _) => new QueueReaderBackoff());
            });
        }

        return builder;
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
