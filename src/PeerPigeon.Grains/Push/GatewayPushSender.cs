using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Streams;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Push;

/// <summary>Sends a <see cref="GatewayPush"/> along a <see cref="GatewayRoute"/>: its observer, or else its gateway stream.</summary>
internal sealed class GatewayPushSender(IServiceProvider services)
{
    private readonly Lazy<IStreamProvider?> _streams = new(() => services.GetKeyedService<IStreamProvider>(GatewayStreams.ProviderName));

    /// <summary>Pushes <paramref name="push"/>; throws when the gateway cannot be reached.</summary>
    public Task PushAsync(GatewayRoute route, GatewayPush push)
    {
        if (route.Observer is { } observer)
        {
            return observer.PushAsync(push);
        }

        var provider = _streams.Value ?? throw new InvalidOperationException(
            $"Gateway {route.GatewayId} uses the stream push transport but this silo has no '{GatewayStreams.ProviderName}' stream provider: set PUSH_TRANSPORT=stream on the silos too.");
        return provider.GetStream<GatewayPush>(StreamId.Create(GatewayStreams.Namespace, route.GatewayId)).OnNextAsync(push);
    }

    /// <summary>Whether <paramref name="exception"/> means the gateway process is gone (not merely slow).</summary>
    public static bool IsGatewayGone(Exception exception) => exception is ClientNotAvailableException;
}
