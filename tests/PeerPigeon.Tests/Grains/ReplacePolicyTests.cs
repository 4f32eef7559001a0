using PeerPigeon.Networks;
using PeerPigeon.Peers;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.Grains;

public sealed class ReplacePolicyTests(ReplacingGrainCluster cluster) : IClassFixture<ReplacingGrainCluster>
{
    [Fact]
    public async Task A_second_socket_replaces_the_first_which_is_closed_and_departs_once()
    {
        var (first, second, watcher) = (cluster.NewGateway(), cluster.NewGateway(), cluster.NewGateway());
        var (id, other, network) = (GrainCluster.NewPeerId(), GrainCluster.NewPeerId(), GrainCluster.NewNetwork());
        var (old, watching) = (Guid.NewGuid(), Guid.NewGuid());
        await cluster.Client.GetPeerGrain(other).AttachAsync(new Attachment(watcher.Route, watching), false);
        await cluster.Client.GetPeerGrain(other).AnnounceAsync(watching, new Announcement(network, false, []));
        await cluster.Client.GetPeerGrain(id).AttachAsync(new Attachment(first.Route, old), false);
        await cluster.Client.GetPeerGrain(id).AnnounceAsync(old, new Announcement(network, false, []));

        var result = await cluster.Client.GetPeerGrain(id).AttachAsync(new Attachment(second.Route, Guid.NewGuid()), false);

        Assert.True(result.Accepted);
        var close = await first.ExpectAsync<ClosePush>(push => push.ConnectionId == old, $"a close for the replaced connection {old}");
        Assert.Equal((old, 1008, "Replaced by a new connection"), (close.ConnectionId, close.CloseStatus, close.Reason));
        Assert.Single(watcher.Of<PeerDepartedPush>(), departed => departed.Peer == id && departed.Reason == "Replaced by a new connection");
    }

    [Fact]
    public async Task Discovery_is_limited_to_the_xor_closest_members()
    {
        var gateway = cluster.NewGateway();
        var network = cluster.Client.GetNetworkGrain(GrainCluster.NewNetwork());
        var announcer = PeerId.Parse("0000000000000000000000000000000000000000");
        var near = new[] { "0000000000000000000000000000000000000001", "0000000000000000000000000000000000000100" }.Select(PeerId.Parse).ToList();
        var far = new[] { "8000000000000000000000000000000000000000", "0000000010000000000000000000000000000000" }.Select(PeerId.Parse).ToList();
        foreach (var id in far.Concat(near))
        {
            await network.JoinAsync(new NetworkMember(new DiscoveredPeer(id, false, []), gateway.Route), false);
        }

        await network.JoinAsync(new NetworkMember(new DiscoveredPeer(announcer, false, []), gateway.Route), true);

        var pushes = gateway.Of<PeersDiscoveredPush>();
        var toMembers = Assert.Single(pushes, push => push.Peers.Length == 1 && push.Peers[0].PeerId == announcer);
        Assert.Equal(near.ToHashSet(), toMembers.Recipients.ToHashSet());
        var introduction = Assert.Single(pushes, push => push.Recipients.SequenceEqual([announcer]));
        Assert.Equal(near.ToHashSet(), introduction.Peers.Select(peer => peer.PeerId).ToHashSet());
    }
}
