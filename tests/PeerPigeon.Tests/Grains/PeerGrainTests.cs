using PeerPigeon.Networks;
using PeerPigeon.Peers;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.Grains;

public sealed class PeerGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private static readonly byte[] Sdp = "{\"type\":\"offer\",\"sdp\":\"v=0\"}"u8.ToArray();

    private static Announcement In(string network) => new(network, false, []);

    private IPeerGrain Peer(PeerId id) => cluster.Client.GetPeerGrain(id);

    private static RelayPush Offer(PeerId from, PeerId to, string network, int n = 0) =>
        new(to, "offer", from, network, Sdp, n);

    [Fact]
    public async Task A_free_id_attaches_and_a_second_socket_on_another_gateway_is_rejected()
    {
        var (gatewayA, gatewayB, id) = (cluster.NewGateway(), cluster.NewGateway(), GrainCluster.NewPeerId());

        Assert.True((await Peer(id).AttachAsync(new Attachment(gatewayA.Route, Guid.NewGuid()), false)).Accepted);
        Assert.False((await Peer(id).AttachAsync(new Attachment(gatewayB.Route, Guid.NewGuid()), false)).Accepted);
        Assert.Empty(gatewayA.Of<ClosePush>());
    }

    [Fact]
    public async Task A_second_socket_held_by_the_same_gateway_is_rejected_too()
    {
        var (gateway, id) = (cluster.NewGateway(), GrainCluster.NewPeerId());
        await Peer(id).AttachAsync(new Attachment(gateway.Route, Guid.NewGuid()), false);

        Assert.False((await Peer(id).AttachAsync(new Attachment(gateway.Route, Guid.NewGuid()), heldByThisGateway: true)).Accepted);
    }

    [Fact]
    public async Task A_stale_record_on_the_requesting_gateway_is_taken_over_and_its_network_told_once()
    {
        var (gateway, watcher, id, other, network) = (cluster.NewGateway(), cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        var watching = Guid.NewGuid();
        await Peer(other).AttachAsync(new Attachment(watcher.Route, watching), false);
        await Peer(other).AnnounceAsync(watching, In(network));
        var old = Guid.NewGuid();
        await Peer(id).AttachAsync(new Attachment(gateway.Route, old), false);
        await Peer(id).AnnounceAsync(old, In(network));

        // The gateway no longer holds the old socket (heldByThisGateway: false): the record is stale.
        var result = await Peer(id).AttachAsync(new Attachment(gateway.Route, Guid.NewGuid()), heldByThisGateway: false);

        Assert.True(result.Accepted);
        Assert.Single(watcher.Of<PeerDepartedPush>(), departed => departed.Peer == id);
        await gateway.ExpectAsync<ClosePush>(close => close.ConnectionId == old, $"a close for the stale connection {old}");
    }

    [Fact]
    public async Task Relay_to_an_attached_peer_in_the_senders_network_is_pushed_to_its_gateway()
    {
        var (gateway, sender, target, network) = (cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        var connection = Guid.NewGuid();
        await Peer(target).AttachAsync(new Attachment(gateway.Route, connection), false);
        await Peer(target).AnnounceAsync(connection, In(network));

        Assert.Equal(RelayOutcome.Delivered, await Peer(target).RelayAsync(Offer(sender, target, network)));
        var pushed = Assert.Single(gateway.Of<RelayPush>());
        Assert.Equal(sender, pushed.From);
        Assert.Equal(Sdp, pushed.Data);
    }

    [Fact]
    public async Task Relay_from_another_network_is_refused_once_the_target_has_announced()
    {
        var (gateway, target) = (cluster.NewGateway(), GrainCluster.NewPeerId());
        var connection = Guid.NewGuid();
        await Peer(target).AttachAsync(new Attachment(gateway.Route, connection), false);
        await Peer(target).AnnounceAsync(connection, In("room-a"));

        Assert.Equal(RelayOutcome.WrongNetwork, await Peer(target).RelayAsync(Offer(GrainCluster.NewPeerId(), target, "room-b")));
        Assert.Empty(gateway.Of<RelayPush>());
    }

    [Fact]
    public async Task Messages_for_an_absent_peer_wait_and_arrive_in_order_when_it_attaches()
    {
        var (gateway, sender, target) = (cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        for (var n = 0; n < GrainCluster.MailboxCapacity; n++)
        {
            Assert.Equal(RelayOutcome.Queued, await Peer(target).RelayAsync(Offer(sender, target, NetworkNames.Global, n)));
        }

        var result = await Peer(target).AttachAsync(new Attachment(gateway.Route, Guid.NewGuid()), false);

        Assert.Equal([0L, 1L, 2L], result.Pending.Select(message => message.Timestamp));
    }

    [Fact]
    public async Task A_full_mailbox_refuses_more()
    {
        var (sender, target) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        for (var n = 0; n < GrainCluster.MailboxCapacity; n++)
        {
            await Peer(target).RelayAsync(Offer(sender, target, NetworkNames.Global, n));
        }

        Assert.Equal(RelayOutcome.MailboxFull, await Peer(target).RelayAsync(Offer(sender, target, NetworkNames.Global)));
    }

    [Fact]
    public async Task Mail_from_another_network_waits_for_the_announce_into_that_network()
    {
        var (gateway, sender, target, network) = (cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        await Peer(target).RelayAsync(Offer(sender, target, network));
        var connection = Guid.NewGuid();

        var attached = await Peer(target).AttachAsync(new Attachment(gateway.Route, connection), false);
        Assert.Empty(attached.Pending);

        // Attached but not yet announced (a reconnect in progress): new mail from that network waits as well.
        Assert.Equal(RelayOutcome.Queued, await Peer(target).RelayAsync(Offer(sender, target, network, 1)));

        var announced = await Peer(target).AnnounceAsync(connection, In(network));
        Assert.Equal([0L, 1L], announced.Pending.Select(message => message.Timestamp));
    }

    [Fact]
    public async Task Expired_mail_is_reported_to_its_sender()
    {
        var (senderGateway, sender, target) = (cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        await Peer(sender).AttachAsync(new Attachment(senderGateway.Route, Guid.NewGuid()), false);
        Assert.Equal(RelayOutcome.Queued, await Peer(target).RelayAsync(Offer(sender, target, NetworkNames.Global)));

        cluster.Time.Advance(TimeSpan.FromMilliseconds(GrainCluster.MessageTtlMs + 1));

        var notice = await senderGateway.ExpectAsync<UndeliveredPush>(push => push.Undelivered == target, $"an expiry notice for the offer to {target}");
        Assert.Equal(sender, notice.Target);
        Assert.Equal("offer", notice.MessageType);
        Assert.Equal(NetworkNames.Global, notice.Network);
        Assert.Equal($"Peer {target} is not connected", notice.Error);
    }

    [Fact]
    public async Task Detach_of_an_older_connection_is_ignored()
    {
        var (gateway, watcher, id, other, network) = (cluster.NewGateway(), cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        var current = Guid.NewGuid();
        await Peer(id).AttachAsync(new Attachment(gateway.Route, current), false);
        await Peer(id).AnnounceAsync(current, In(network));
        var watching = Guid.NewGuid();
        await Peer(other).AttachAsync(new Attachment(watcher.Route, watching), false);
        await Peer(other).AnnounceAsync(watching, In(network));

        await Peer(id).DetachAsync(Guid.NewGuid(), "stale");
        Assert.Empty(watcher.Of<PeerDepartedPush>());

        await Peer(id).DetachAsync(current, "Client disconnect");
        var departed = Assert.Single(watcher.Of<PeerDepartedPush>());
        Assert.Equal((id, "Client disconnect"), (departed.Peer, departed.Reason));
    }

    [Fact]
    public async Task A_lease_for_another_connection_is_superseded_and_a_lost_record_is_restored_silently()
    {
        var (gateway, id, network) = (cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        var connection = Guid.NewGuid();
        await Peer(id).AttachAsync(new Attachment(gateway.Route, connection), false);

        Assert.Equal(LeaseStatus.Superseded, await Peer(id).RenewAsync(new Attachment(gateway.Route, Guid.NewGuid()), null));

        await Peer(id).DetachAsync(connection, "lost");
        Assert.Equal(LeaseStatus.Held, await Peer(id).RenewAsync(new Attachment(gateway.Route, connection), In(network)));
        Assert.Empty(gateway.Of<PeersDiscoveredPush>());
        Assert.Equal(RelayOutcome.Delivered, await Peer(id).RelayAsync(Offer(GrainCluster.NewPeerId(), id, network)));
    }

    [Fact]
    public async Task The_hub_namespace_makes_every_announcer_a_hub_whatever_its_data_says()
    {
        var (gateway, id) = (cluster.NewGateway(), GrainCluster.NewPeerId());
        var connection = Guid.NewGuid();
        await Peer(id).AttachAsync(new Attachment(gateway.Route, connection), false);

        var result = await Peer(id).AnnounceAsync(connection, In(NetworkNames.DefaultHubNamespace));

        Assert.True(result.Announcement?.IsHub);

        // The silo itself is a hub member of the namespace, so the announcer is introduced to it.
        var introduction = Assert.Single(gateway.Of<PeersDiscoveredPush>());
        Assert.Contains(introduction.Peers, peer => peer.IsHub && peer.PeerId != id);
    }

    [Fact]
    public async Task A_relay_handed_back_by_the_gateway_of_a_closing_socket_waits_for_the_next_socket()
    {
        var (closing, next, sender, target) = (cluster.NewGateway(), cluster.NewGateway(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        var old = Guid.NewGuid();
        await Peer(target).AttachAsync(new Attachment(closing.Route, old), false);

        await Peer(target).ReturnUndeliveredAsync(Offer(sender, target, NetworkNames.Global, 7), closing.Route.GatewayId);
        await Peer(target).DetachAsync(old, "Client disconnect");
        var result = await Peer(target).AttachAsync(new Attachment(next.Route, Guid.NewGuid()), false);

        // The hand-back is one-way, so it may reach the grain before or after the new socket attaches: the relay is
        // then in the attach result or pushed to the new socket's gateway, never lost.
        if (!result.Pending.Any(message => message.Timestamp == 7))
        {
            await next.ExpectAsync<RelayPush>(push => push.Timestamp == 7, "the handed-back relay, in the attach result or pushed to the new socket");
        }
    }

    [Fact]
    public async Task A_relay_handed_back_after_the_peer_moved_to_another_gateway_goes_there()
    {
        var (stale, current, target) = (cluster.NewGateway(), cluster.NewGateway(), GrainCluster.NewPeerId());
        await Peer(target).AttachAsync(new Attachment(current.Route, Guid.NewGuid()), false);

        await Peer(target).ReturnUndeliveredAsync(Offer(GrainCluster.NewPeerId(), target, NetworkNames.Global, 9), stale.Route.GatewayId);

        var pushed = await current.ExpectAsync<RelayPush>(push => push.Timestamp == 9, "the handed-back relay at the peer's current gateway");
        Assert.Equal(target, pushed.Target);
    }
}
