using System.Runtime.CompilerServices;
using PeerPigeon.Networks;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.Grains;

public sealed class NetworkGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private static NetworkMember Member(PeerId id, PushRecorder gateway, string data = "") =>
        new(new DiscoveredPeer(id, false, System.Text.Encoding.UTF8.GetBytes(data)), gateway.Route);

    [Fact]
    public async Task Discovery_sends_one_push_per_gateway_listing_its_recipients_and_introduces_the_newcomer_once()
    {
        var (one, two, joiner) = (cluster.NewGateway(), cluster.NewGateway(), cluster.NewGateway());
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var onOne = Enumerable.Range(0, 3).Select(_ => GrainCluster.NewPeerId()).ToList();
        var onTwo = Enumerable.Range(0, 2).Select(_ => GrainCluster.NewPeerId()).ToList();
        foreach (var id in onOne)
        {
            await network.JoinAsync(Member(id, one), discover: false);
        }

        foreach (var id in onTwo)
        {
            await network.JoinAsync(Member(id, two), discover: false);
        }

        var newcomer = GrainCluster.NewPeerId();
        await network.JoinAsync(Member(newcomer, joiner, "\"nick\":\"n\""), discover: true);

        var toOne = Assert.Single(one.Of<PeersDiscoveredPush>());
        Assert.Equal(onOne.ToHashSet(), toOne.Recipients.ToHashSet());
        Assert.Equal(newcomer, Assert.Single(toOne.Peers).PeerId);
        Assert.Equal(onTwo.ToHashSet(), Assert.Single(two.Of<PeersDiscoveredPush>()).Recipients.ToHashSet());
        var introduction = Assert.Single(joiner.Of<PeersDiscoveredPush>());
        Assert.Equal([newcomer], introduction.Recipients.ToArray());
        Assert.Equal(onOne.Concat(onTwo).ToHashSet(), introduction.Peers.Select(peer => peer.PeerId).ToHashSet());
    }

    [Fact]
    public async Task A_member_whose_gateway_never_answers_delays_a_join_by_the_push_timeout_and_no_more()
    {
        // The silent gateway's observer is collected: Orleans drops pushes to it without an answer, like pushes to a
        // gateway that hangs. Only the push timeout (IGatewayObserver, 3 s, on the silo's own clock) ends the wait.
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        await JoinThroughAForgottenGatewayAsync(network);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var joiner = cluster.NewGateway();
        var newcomer = GrainCluster.NewPeerId();
        await Bounded.WaitAsync(network.JoinAsync(Member(newcomer, joiner), discover: true), JoinBound, () =>
            $"Expected the join to finish within {JoinBound.TotalSeconds:0} s (3 s push timeout to the silent gateway); it was still waiting.");

        Assert.Single(joiner.Of<PeersDiscoveredPush>());
    }

    private static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(15);

    [MethodImpl(MethodImplOptions.NoInlining)] // the gateway is unreachable once this returns
    private Task JoinThroughAForgottenGatewayAsync(INetworkGrain network) =>
        network.JoinAsync(Member(GrainCluster.NewPeerId(), new PushRecorder(cluster.Client)), discover: false);

    [Fact]
    public async Task A_lone_member_is_told_nothing_and_members_reasserted_together_are_not_introduced_again()
    {
        var gateway = cluster.NewGateway();
        await cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork()).JoinAsync(Member(GrainCluster.NewPeerId(), gateway), discover: true);

        // Members re-asserted into a network that lost them knew each other before: nothing to tell.
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var (first, second) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        await network.JoinAsync(Member(first, gateway), discover: false);
        await network.JoinAsync(Member(second, gateway), discover: false);
        await network.JoinAsync(Member(first, gateway), discover: false);
        Assert.Empty(gateway.Pushes);
    }

    [Fact]
    public async Task A_member_reasserted_into_a_network_that_lost_it_meets_the_peers_that_announced_meanwhile_once()
    {
        var (early, fresh, late) = (cluster.NewGateway(), cluster.NewGateway(), cluster.NewGateway());
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var (reasserted, newcomer, returning) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId());

        // The network lost its state (its silo went away): one member is re-asserted at once, a peer announces, and
        // the other member is re-asserted only after that (its gateway was slower), then everyone is renewed again.
        await network.JoinAsync(Member(reasserted, early), discover: false);
        await network.JoinAsync(Member(newcomer, fresh), discover: true);
        await network.JoinAsync(Member(newcomer, fresh), discover: false);
        await network.JoinAsync(Member(returning, late), discover: false);
        await network.JoinAsync(Member(returning, late), discover: false);
        await network.JoinAsync(Member(reasserted, early), discover: false);

        // The late member and the newcomer never met; the members re-asserted together knew each other.
        var toReturning = Assert.Single(late.Of<PeersDiscoveredPush>());
        Assert.Equal([returning], toReturning.Recipients.ToArray());
        Assert.Equal([newcomer], toReturning.Peers.Select(peer => peer.PeerId).ToArray());
        Assert.Collection(fresh.Of<PeersDiscoveredPush>(),
            introduction => Assert.Equal([reasserted], introduction.Peers.Select(peer => peer.PeerId).ToArray()),
            meeting =>
            {
                Assert.Equal([newcomer], meeting.Recipients.ToArray());
                Assert.Equal([returning], meeting.Peers.Select(peer => peer.PeerId).ToArray());
            });
        var toEarly = Assert.Single(early.Of<PeersDiscoveredPush>());
        Assert.Equal([newcomer], toEarly.Peers.Select(peer => peer.PeerId).ToArray());
    }

    [Fact]
    public async Task Leaving_is_announced_once_to_the_remaining_members_and_a_non_member_leaving_changes_nothing()
    {
        var gateway = cluster.NewGateway();
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var (stays, leaves) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        await network.JoinAsync(Member(stays, gateway), false);
        await network.JoinAsync(Member(leaves, gateway), false);

        await network.LeaveAsync(leaves, "Client disconnect");
        await network.LeaveAsync(leaves, "Client disconnect");
        await network.LeaveAsync(GrainCluster.NewPeerId(), "never joined");

        var departed = Assert.Single(gateway.Of<PeerDepartedPush>());
        Assert.Equal((leaves, "Client disconnect"), (departed.Peer, departed.Reason));
        Assert.Equal([stays], departed.Recipients.ToArray());
    }

    [Fact]
    public async Task Goodbye_reaches_every_other_member_before_the_departure()
    {
        var gateway = cluster.NewGateway();
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var others = Enumerable.Range(0, 6).Select(_ => GrainCluster.NewPeerId()).ToList();
        var leaving = GrainCluster.NewPeerId();
        foreach (var id in others.Append(leaving))
        {
            await network.JoinAsync(Member(id, gateway), false);
        }

        await network.GoodbyeAsync(leaving, "{\"peerId\":\"x\"}"u8.ToArray(), 42);

        Assert.Collection(gateway.Pushes,
            push => Assert.Equal(others.ToHashSet(), Assert.IsType<GoodbyePush>(push).Recipients.ToHashSet()),
            push => Assert.Equal("goodbye", Assert.IsType<PeerDepartedPush>(push).Reason));
    }

    [Fact]
    public async Task A_silo_hub_the_network_lost_is_announced_once_to_each_member_now_or_when_it_is_reasserted()
    {
        var (present, returning) = (cluster.NewGateway(), cluster.NewGateway());
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var (here, back, hub) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        await network.JoinAsync(Member(here, present), discover: false);

        // The network lost the hub with its state: the member it has now is told at once,
        await network.RemoveSiloHubAsync(hub, "Silo unavailable");
        await network.RemoveSiloHubAsync(hub, "Silo unavailable");
        // a member re-asserted later is told when it comes back, once,
        await network.JoinAsync(Member(back, returning), discover: false);
        await network.JoinAsync(Member(back, returning), discover: false);
        // and a peer that joins afresh never knew the hub.
        await network.JoinAsync(Member(GrainCluster.NewPeerId(), present), discover: true);

        var toPresent = Assert.Single(present.Of<PeerDepartedPush>());
        Assert.Equal((hub, true, "Silo unavailable"), (toPresent.Peer, toPresent.IsHub, toPresent.Reason));
        Assert.Equal([here], toPresent.Recipients.ToArray());
        var toReturning = Assert.Single(returning.Of<PeerDepartedPush>());
        Assert.Equal(hub, toReturning.Peer);
        Assert.Equal([back], toReturning.Recipients.ToArray());
    }

    [Fact]
    public async Task A_silo_hub_that_left_normally_is_not_announced_again_when_every_silo_reports_it_dead()
    {
        var gateway = cluster.NewGateway();
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var (member, hub) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId());
        await network.JoinAsync(Member(member, gateway), discover: false);
        await network.JoinAsync(new NetworkMember(new DiscoveredPeer(hub, true, []), null), discover: false);

        await network.RemoveSiloHubAsync(hub, "Silo shutting down");
        await network.RemoveSiloHubAsync(hub, "Silo unavailable");
        await network.JoinAsync(Member(member, gateway), discover: false);

        var departed = Assert.Single(gateway.Of<PeerDepartedPush>());
        Assert.Equal((hub, "Silo shutting down"), (departed.Peer, departed.Reason));
    }
}
