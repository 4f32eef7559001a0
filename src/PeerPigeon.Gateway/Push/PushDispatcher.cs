using System.Net.WebSockets;
using Orleans.Streams;
using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Push;

/// <summary>
/// Turns each <see cref="GatewayPush"/> into wire frames for this gateway's sockets. It is the receiving end of both
/// push transports: the grain observer and the gateway's stream subscription.
/// </summary>
internal sealed partial class PushDispatcher(
    ConnectionRegistry registry,
    RelayDelivery relays,
    ClusterChanges changes,
    TimeProvider time,
    ILogger<PushDispatcher> logger)
    : IGatewayObserver, IAsyncObserver<GatewayPush>
{
    public Task PushAsync(GatewayPush push)
    {
        Dispatch(push);
        return Task.CompletedTask;
    }

    public Task OnNextAsync(GatewayPush item, StreamSequenceToken? token = null)
    {
        Dispatch(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        return Task.CompletedTask;
    }

    private void Dispatch(GatewayPush push)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (push)
        {
            case RelayPush relay:
                relays.Deliver(relay);
                break;
            case PeersDiscoveredPush discovered:
                foreach (var recipient in discovered.Recipients)
                {
                    if (registry.TryGetAttached(recipient, out var connection))
                    {
                        foreach (var peer in discovered.Peers)
                        {
                            connection.TrySend(ServerFrames.PeerDiscovered(discovered.Network, peer, recipient, now));
                        }
                    }
                }

                break;
            case PeerDepartedPush departed:
                foreach (var recipient in departed.Recipients)
                {
                    Send(recipient, ServerFrames.PeerDisconnected(departed.Network, departed.Peer, departed.IsHub, departed.Reason, recipient, now));
                }

                break;
            case GoodbyePush goodbye:
                var frame = ServerFrames.Goodbye(goodbye);
                foreach (var recipient in goodbye.Recipients)
                {
                    Send(recipient, frame);
                }

                break;
            case UndeliveredPush undelivered:
                Send(undelivered.Target, ServerFrames.Undelivered(undelivered.Error, undelivered.Undelivered, undelivered.MessageType, undelivered.Network, now));
                break;
            case ClosePush close:
                if (registry.TryGet(close.ConnectionId, out var closing))
                {
                    closing.Close((WebSocketCloseStatus)close.CloseStatus, close.Reason);
                }

                break;
            case ClusterChangedPush:
                changes.Signal();
                break;
            default:
                LogUnknownPush(logger, push.GetType().Name);
                break;
        }
    }

    private void Send(PeerId recipient, byte[] frame)
    {
        if (registry.TryGetAttached(recipient, out var connection))
        {
            connection.TrySend(frame);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Gateway push stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Unknown push {PushType} ignored")]
    private static partial void LogUnknownPush(ILogger logger, string pushType);
}
