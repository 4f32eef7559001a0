using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerPigeon.Grains.Diagnostics;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Push;
using PeerPigeon.Networks;
using PeerPigeon.Peers;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Peers;

/// <inheritdoc cref="IPeerGrain" />
internal sealed partial class PeerGrain(
    IOptions<SignalingOptions> options,
    GatewayPushSender sender,
    GrainInstruments instruments,
    GrainClock clock,
    ILogger<PeerGrain> logger) : Grain, IPeerGrain
{
    internal const string ReplacedReason = "Replaced by a new connection";
    internal const string GatewayGoneReason = "Gateway unavailable";

    private readonly SignalingOptions _options = options.Value;
    private readonly Mailbox _mailbox = new(options.Value.MailboxCapacity, instruments);
    private Attachment? _attachment;
    private Announcement? _announcement;
    private readonly RecentlyDetached _recentlyDetached = new();
    private IGrainTimer? _expiryTimer;

    private PeerId Id => PeerId.Parse(this.GetPrimaryKeyString());

    public async Task<AttachResult> AttachAsync(Attachment attachment, bool heldByThisGateway)
    {
        if (_attachment?.ConnectionId == attachment.ConnectionId)
        {
            return new AttachResult(true, []);
        }

        if (_attachment is { } current)
        {
            var staleHere = current.Route.GatewayId == attachment.Route.GatewayId && !heldByThisGateway;
            var gone = !staleHere && await GrainFactory.GetClusterDirectory().IsGatewayGoneAsync(current.Route.GatewayId);
            var stale = staleHere || gone;
            if (!stale && _options.DuplicatePeerPolicy == DuplicatePeerPolicy.Reject)
            {
                return new AttachResult(false, []);
            }

            await ReplaceAsync(current, closeOldSocket: !gone);
        }

        _attachment = attachment;
        _announcement = null;
        return new AttachResult(true, _mailbox.TakeFrom(NetworkNames.Global));
    }

    public async Task<AnnounceResult> AnnounceAsync(Guid connectionId, Announcement announcement)
    {
        if (_attachment?.ConnectionId != connectionId)
        {
            return new AnnounceResult(false, []);
        }

        if (_announcement is { } previous && previous.Network != announcement.Network)
        {
            await GrainFactory.GetNetworkGrain(previous.Network).LeaveAsync(Id, "Left network");
        }

        // Every member of the hub namespace is a hub, whatever its data says (PROTOCOL.md §2).
        _announcement = announcement with { IsHub = announcement.IsHub || announcement.Network == _options.HubMeshNamespace };
        await GrainFactory.GetNetworkGrain(announcement.Network).JoinAsync(ToMember(_announcement, _attachment.Route), discover: true);
        return new AnnounceResult(true, _mailbox.TakeFrom(announcement.Network), _announcement);
    }

    public async Task GoodbyeAsync(Guid connectionId, byte[]? data, long timestamp)
    {
        if (_attachment?.ConnectionId != connectionId || _announcement is not { } announcement)
        {
            return;
        }

        _announcement = null;
        await GrainFactory.GetNetworkGrain(announcement.Network).GoodbyeAsync(Id, data, timestamp);
    }

    public async Task DetachAsync(Guid connectionId, string reason)
    {
        if (_attachment?.ConnectionId != connectionId)
        {
            return;
        }

        _attachment = null;
        _recentlyDetached.Add(connectionId);

        await LeaveNetworkAsync(reason);
        DeactivateWhenIdle();
    }

    public async Task<RelayOutcome> RelayAsync(RelayPush message)
    {
        if (_attachment is { } attachment)
        {
            if (_announcement?.Network == message.Network || (_announcement is null && message.Network == NetworkNames.Global))
            {
                try
                {
                    await sender.PushAsync(attachment.Route, message);
                    return RelayOutcome.Delivered;
                }
                catch (Exception exception) when (GatewayPushSender.IsGatewayGone(exception))
                {
                    LogGatewayGone(logger, exception, Id, attachment.Route.GatewayId);
                    _attachment = null;
                    await LeaveNetworkAsync(GatewayGoneReason);
                }
            }
            else if (_announcement is not null)
            {
                return RelayOutcome.WrongNetwork;
            }

            // Attached but not announced yet (a reconnect in progress): wait for the announce into the sender's network.
        }

        return Enqueue(message);
    }

    public async Task ReturnUndeliveredAsync(RelayPush message, string gatewayId)
    {
        if (_attachment is { } attachment && attachment.Route.GatewayId != gatewayId)
        {
            // Reattached elsewhere since: the normal path applies there.
            if (await RelayAsync(message) is RelayOutcome.Delivered or RelayOutcome.Queued)
            {
                return;
            }
        }
        else if (Enqueue(message) == RelayOutcome.Queued)
        {
            return;
        }

        await NotifySenderAsync(message);
    }

    private RelayOutcome Enqueue(RelayPush message)
    {
        if (_options.MessageTtlMs == 0)
        {
            return RelayOutcome.NotConnected;
        }

        if (!_mailbox.TryAdd(message, clock.UtcNow + _options.MessageTtl))
        {
            return RelayOutcome.MailboxFull;
        }

        _expiryTimer ??= this.RegisterGrainTimer(ExpireAsync, ExpiryCheckPeriod, ExpiryCheckPeriod);
        return RelayOutcome.Queued;
    }

    public async Task NotifyUndeliveredAsync(UndeliveredPush notice)
    {
        if (_attachment is not { } attachment)
        {
            return;
        }

        try
        {
            await sender.PushAsync(attachment.Route, notice);
        }
        catch (Exception exception)
        {
            LogNoticeFailed(logger, exception, Id, attachment.Route.GatewayId);
        }
    }

    public async Task<LeaseStatus> RenewAsync(Attachment attachment, Announcement? announcement)
    {
        // A renewal can overtake nothing but can trail a detach of the same socket: never resurrect a closed socket.
        if ((_attachment is { } current && current.ConnectionId != attachment.ConnectionId) || _recentlyDetached.Contains(attachment.ConnectionId))
        {
            return LeaseStatus.Superseded;
        }

        // While this activation holds the socket its own state is current (the gateway's view may predate an
        // announce still in flight); only a lost state is rebuilt from the gateway's view.
        var restored = _attachment is null;
        if (restored)
        {
            _attachment = attachment;
            _announcement = announcement;
        }

        if (_announcement is { } announced)
        {
            // Silent: a re-asserted membership must not cause a peer-discovered storm.
            await GrainFactory.GetNetworkGrain(announced.Network).JoinAsync(ToMember(announced, attachment.Route), discover: false);
        }

        if (restored)
        {
            await FlushAsync(attachment, _mailbox.TakeFrom(_announcement?.Network ?? NetworkNames.Global));
        }

        return LeaseStatus.Held;
    }

    private TimeSpan ExpiryCheckPeriod => TimeSpan.FromMilliseconds(Math.Clamp(_options.MessageTtlMs / 4, 20, 1000));

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        foreach (var message in _mailbox.TakeExpired(clock.UtcNow))
        {
            await NotifySenderAsync(message);
        }

        if (_mailbox.Count == 0)
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
            DeactivateWhenIdle();
        }
    }

    private Task NotifySenderAsync(RelayPush message) =>
        GrainFactory.GetPeerGrain(message.From).NotifyUndeliveredAsync(UndeliveredPush.NotConnectedFor(message));

    private async Task FlushAsync(Attachment attachment, ImmutableArray<RelayPush> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                await sender.PushAsync(attachment.Route, message);
            }
            catch (Exception exception)
            {
                LogNoticeFailed(logger, exception, Id, attachment.Route.GatewayId);
                return;
            }
        }
    }

    private async Task ReplaceAsync(Attachment previous, bool closeOldSocket)
    {
        await LeaveNetworkAsync(ReplacedReason);
        if (closeOldSocket)
        {
            // Not awaited: a slow or dying old gateway must not hold up the new socket (the gateway closes by
            // connection id, so the order relative to the new attach does not matter).
            _ = CloseAsync(previous);
        }
    }

    private async Task CloseAsync(Attachment previous)
    {
        try
        {
            await sender.PushAsync(previous.Route, new ClosePush(Id, previous.ConnectionId, 1008, ReplacedReason));
        }
        catch (Exception exception)
        {
            LogNoticeFailed(logger, exception, Id, previous.Route.GatewayId);
        }
    }

    private async Task LeaveNetworkAsync(string reason)
    {
        if (_announcement is { } announcement)
        {
            _announcement = null;
            await GrainFactory.GetNetworkGrain(announcement.Network).LeaveAsync(Id, reason);
        }
    }

    private void DeactivateWhenIdle()
    {
        if (_attachment is null && _mailbox.Count == 0)
        {
            DeactivateOnIdle();
        }
    }

    private NetworkMember ToMember(Announcement announcement, GatewayRoute route) =>
        new(new DiscoveredPeer(Id, announcement.IsHub, announcement.Data), route);

    [LoggerMessage(1, LogLevel.Information, "Gateway {GatewayId} holding peer {PeerId} is gone; the peer is detached")]
    private static partial void LogGatewayGone(ILogger logger, Exception exception, PeerId peerId, string gatewayId);

    [LoggerMessage(2, LogLevel.Warning, "Could not push to gateway {GatewayId} for peer {PeerId}")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, PeerId peerId, string gatewayId);
}
