using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Gateway.Diagnostics;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Gateway.Push;
using PeerPigeon.Networks;
using PeerPigeon.Peers;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// Acts on each frame a client sends (PROTOCOL.md §2): announce, targeted relay, goodbye, ping; everything else gets
/// an <c>error</c>. Runs on the socket's receive loop, one frame at a time, so one sender's messages keep their order.
/// </summary>
internal sealed partial class MessageHandler(
    ConnectionRegistry registry,
    RelayDelivery relays,
    GatewayInstruments instruments,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<MessageHandler> logger)
{
    private readonly ProtocolLimits _limits = options.Value.Limits;

    public async ValueTask HandleAsync(PeerConnection connection, ReadOnlyMemory<byte> frame)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!ClientMessage.TryParse(frame, _limits, out var message, out var error))
        {
            connection.TrySend(ServerFrames.Error(error, connection.Network, now));
            return;
        }

        var parsedAt = time.GetTimestamp();
        try
        {
            switch (message.Type)
            {
                case MessageTypes.Announce:
                    await AnnounceAsync(connection, message, now);
                    break;
                case MessageTypes.Goodbye:
                    await GoodbyeAsync(connection, message, now);
                    break;
                case MessageTypes.Ping:
                    connection.TrySend(ServerFrames.Pong(connection.PeerId, connection.Network, now));
                    break;
                case MessageTypes.Cleanup or MessageTypes.CleanupAll:
                    break;
                case MessageTypes.PeerDiscovered or MessageTypes.PeerDisconnected:
                    // Hub privileges belong to authenticated hub links only (PROTOCOL.md §5); from a client: ignored.
                    break;
                case var type when MessageTypes.Relayed.Contains(type):
                    await RelayAsync(connection, message, now, parsedAt);
                    break;
                default:
                    connection.TrySend(ServerFrames.Error($"Unsupported message type '{message.Type}'", connection.Network, now));
                    break;
            }
        }
        catch (Exception exception)
        {
            // Orleans reports some lost calls as cancellations ("message expired before placement"): they fail this
            // message, never the socket.
            LogHandlingFailed(logger, exception, message.Type, connection.PeerId);
            connection.TrySend(ServerFrames.Error($"Internal error handling '{message.Type}': the cluster did not answer, try again", connection.Network, now));
        }
    }

    private async Task AnnounceAsync(PeerConnection connection, ClientMessage message, long now)
    {
        if ((message.NetworkError ?? message.DataError) is { } fieldError)
        {
            connection.TrySend(ServerFrames.Error(fieldError, connection.Network, now));
            return;
        }

        if (message.Data is { Length: var length } && length > _limits.MaxAnnounceDataBytes)
        {
            connection.TrySend(ServerFrames.Error($"Announce data too large: at most {_limits.MaxAnnounceDataBytes} bytes", connection.Network, now));
            return;
        }

        var (members, claimsHub) = AnnounceData.Split(message.Data);
        var announcement = new Announcement(message.AnnouncedNetwork, claimsHub, members);
        var result = await ClusterCall.RetryAsync(() => grains.GetPeerGrain(connection.PeerId).AnnounceAsync(connection.ConnectionId, announcement));
        if (!result.Accepted)
        {
            return;
        }

        connection.Announced = new AnnouncedState(result.Announcement ?? announcement, message.Data?.ToArray() ?? "{}"u8.ToArray(), now);
        relays.DeliverPending(result.Pending);
    }

    private async Task GoodbyeAsync(PeerConnection connection, ClientMessage message, long now)
    {
        if (message.DataError is { } fieldError)
        {
            connection.TrySend(ServerFrames.Error(fieldError, connection.Network, now));
            return;
        }

        if (message.Data is { Length: var length } && length > _limits.MaxAnnounceDataBytes)
        {
            connection.TrySend(ServerFrames.Error($"Goodbye data too large: at most {_limits.MaxAnnounceDataBytes} bytes", connection.Network, now));
            return;
        }

        connection.Announced = null;
        var goodbyeData = message.Data?.ToArray();
        await ClusterCall.RetryAsync(() => grains.GetPeerGrain(connection.PeerId).GoodbyeAsync(connection.ConnectionId, goodbyeData, now));
    }

    /// <param name="parsedAt">The <see cref="TimeProvider.GetTimestamp"/> when the frame was parsed (for <c>peerpigeon.relay.duration</c>).</param>
    private async Task RelayAsync(PeerConnection connection, ClientMessage message, long now, long parsedAt)
    {
        var network = connection.Network;
        if ((message.TargetError ?? message.NetworkError ?? message.DataError) is { } fieldError)
        {
            connection.TrySend(ServerFrames.Error(fieldError, network, now));
            return;
        }

        if (message.TargetPeerId is not { } target)
        {
            connection.TrySend(ServerFrames.Undelivered("Missing field 'targetPeerId'", null, message.Type, network, now));
            return;
        }

        if (message.Data is not { } data)
        {
            connection.TrySend(ServerFrames.Undelivered("Missing field 'data'", target, message.Type, network, now));
            return;
        }

        // Same gateway: the local table is authoritative for its own sockets, so deliver without a grain call.
        // A target that has not announced yet counts as global; other cases (a reconnect in progress) and a socket
        // that is closing go to the target's grain, which keeps the message for its next socket.
        if (registry.TryGetAttached(target, out var local) && (local.Announced is not null || network == NetworkNames.Global))
        {
            if (local.Network != network)
            {
                connection.TrySend(ServerFrames.Undelivered(NotInNetwork(target, network), target, message.Type, network, now));
                return;
            }

            if (local.TrySend(ServerFrames.Relay(message.Type, data.Span, connection.PeerId, target, network, now)))
            {
                instruments.Relayed(message.Type, local: true, time.GetElapsedTime(parsedAt));
                return;
            }
        }

        var relay = new RelayPush(target, message.Type, connection.PeerId, network, data.ToArray(), now);
        var outcome = await ClusterCall.RetryAsync(() => grains.GetPeerGrain(target).RelayAsync(relay));
        instruments.Relayed(message.Type, local: false, time.GetElapsedTime(parsedAt));
        var error = outcome switch
        {
            RelayOutcome.WrongNetwork => NotInNetwork(target, network),
            RelayOutcome.NotConnected => UndeliveredPush.NotConnected(target),
            RelayOutcome.MailboxFull => $"{UndeliveredPush.NotConnected(target)} and its mailbox is full",
            _ => null,
        };
        if (error is not null)
        {
            connection.TrySend(ServerFrames.Undelivered(error, target, message.Type, network, now));
        }
    }

    private static string NotInNetwork(PeerId target, string network) => $"Peer {target} is not in network '{network}'";

    [LoggerMessage(1, LogLevel.Error, "Handling '{Type}' from peer {PeerId} failed")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, string type, PeerId peerId);
}
