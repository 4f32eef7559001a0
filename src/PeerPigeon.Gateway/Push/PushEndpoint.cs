using Microsoft.Extensions.Options;
using Orleans.Streams;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Push;

/// <summary>
/// Opens this gateway's push endpoint before the first socket is accepted and publishes it as <see cref="Route"/>:
/// a grain observer reference (<c>PUSH_TRANSPORT=observer</c>) or an explicit subscription to the gateway's own
/// stream (<c>PUSH_TRANSPORT=stream</c>), resumed after the client reconnects to the cluster.
/// </summary>
internal sealed partial class PushEndpoint(
    IClusterClient client,
    PushDispatcher dispatcher,
    GatewayIdentity identity,
    IOptions<GatewayOptions> options,
    ILogger<PushEndpoint> logger) : IHostedService
{
    private GatewayRoute? _route;
    private IGatewayObserver? _observer;
    private StreamSubscriptionHandle<GatewayPush>? _subscription;

    /// <summary>Where grains push to this gateway.</summary>
    public GatewayRoute Route => _route ?? throw new InvalidOperationException("The push endpoint has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PushTransport == PushTransport.Observer)
        {
            _observer = client.CreateObjectReference<IGatewayObserver>(dispatcher);
            _route = new GatewayRoute(identity.Id, _observer);
        }
        else
        {
            _subscription = await Stream.SubscribeAsync(dispatcher);
            _route = new GatewayRoute(identity.Id, null);
        }

        LogStarted(logger, identity.Id, options.Value.PushTransport);
    }

    /// <summary>Re-establishes the stream subscription after the client lost and regained the cluster.</summary>
    public async Task ResumeAsync()
    {
        if (_subscription is null)
        {
            return;
        }

        var handles = await Stream.GetAllSubscriptionHandles();
        if (handles.Count == 0)
        {
            // The cluster no longer knew the subscription (kept in memory on a silo that is gone, without Redis).
            _subscription = await Stream.SubscribeAsync(dispatcher);
            LogSubscribedAgain(logger, identity.Id);
            return;
        }

        _subscription = await handles[0].ResumeAsync(dispatcher);
        foreach (var extra in handles.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }

        LogResumed(logger, identity.Id);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_observer is not null)
            {
                client.DeleteObjectReference<IGatewayObserver>(_observer);
            }

            if (_subscription is not null)
            {
                await _subscription.UnsubscribeAsync();
            }
        }
        catch (Exception exception)
        {
            LogStopFailed(logger, exception);
        }
    }

    private IAsyncStream<GatewayPush> Stream =>
        client.GetStreamProvider(GatewayStreams.ProviderName).GetStream<GatewayPush>(StreamId.Create(GatewayStreams.Namespace, identity.Id));

    [LoggerMessage(1, LogLevel.Information, "Gateway {GatewayId} receives pushes by {Transport}")]
    private static partial void LogStarted(ILogger logger, string gatewayId, PushTransport transport);

    [LoggerMessage(2, LogLevel.Information, "Gateway {GatewayId} resumed its push stream subscription")]
    private static partial void LogResumed(ILogger logger, string gatewayId);

    [LoggerMessage(4, LogLevel.Warning, "Gateway {GatewayId} had lost its push stream subscription with a silo and subscribed again; what was pushed to it before may have been dropped")]
    private static partial void LogSubscribedAgain(ILogger logger, string gatewayId);

    [LoggerMessage(3, LogLevel.Warning, "Closing the push endpoint failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);
}
