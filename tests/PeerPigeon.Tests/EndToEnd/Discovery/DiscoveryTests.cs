namespace PeerPigeon.Tests.EndToEnd.Discovery;

/// <summary>PROTOCOL.md §2 announce: networks, discovery in both directions, the server's own fields.</summary>
public abstract class DiscoveryTests(ServerFixture fixture) : EndToEndTest
{
    private const string HubNamespace = "pigeonhub-mesh";

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Announcer_and_member_are_introduced_to_each_other_in_the_exact_shape()
    {
        var network = Ids.NewNetwork();
        var first = await ConnectAsync(Server);
        await first.AnnounceAsync(network, "\"nickname\":\"alice\"");
        var second = await ConnectAsync(Server);

        await second.AnnounceAsync(network, "\"nickname\":\"bob\",\"meta\":{\"tags\":[1,\"two\",null]}");

        var aboutSecond = await first.ExpectAsync(Wire.Discovered(second.Id), "peer-discovered about the announcer");
        WireAssert.PeerDiscovered(aboutSecond.Message, second.Id, isHub: false, network, recipient: first.Id);
        WireAssert.Fields(aboutSecond.Message.GetProperty("data"), "peerId", "isHub", "nickname", "meta");
        WireAssert.Str(aboutSecond.Message.GetProperty("data"), "nickname", "bob");
        WireAssert.JsonEquals("""{"tags":[1,"two",null]}""", aboutSecond.Message.GetProperty("data").GetProperty("meta"));

        var aboutFirst = await second.ExpectAsync(Wire.Discovered(first.Id), "peer-discovered about the existing member");
        WireAssert.PeerDiscovered(aboutFirst.Message, first.Id, isHub: false, network, recipient: second.Id);
        WireAssert.Fields(aboutFirst.Message.GetProperty("data"), "peerId", "isHub", "nickname");
        WireAssert.Str(aboutFirst.Message.GetProperty("data"), "nickname", "alice");

        await first.AssertNothingElseAsync();
        await second.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Every_member_is_introduced_to_a_newcomer_and_told_about_it_once()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 4, network);

        var newcomer = await ConnectAsync(Server);
        await newcomer.AnnounceAsync(network);

        foreach (var member in members)
        {
            await member.ExpectAsync(Wire.Discovered(newcomer.Id), $"peer-discovered about the newcomer at {member.Id}");
            await newcomer.ExpectAsync(Wire.Discovered(member.Id), $"peer-discovered about member {member.Id}");
        }

        await newcomer.AssertNothingElseAsync();
        foreach (var member in members)
        {
            await member.AssertNothingElseAsync();
        }
    }

    [Fact]
    public async Task A_spoofed_data_peerId_is_replaced_by_the_announcer_id()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var spoofer = await ConnectAsync(Server);
        var victim = Ids.NewPeerId();

        await spoofer.SendAsync($$"""{"type":"announce","data":{"peerId":"{{victim}}","isHub":false,"foo":1},"networkName":"{{network}}"}""");

        var discovered = await member.ExpectAsync(Wire.IsType("peer-discovered"), "peer-discovered about the spoofer");
        var data = discovered.Message.GetProperty("data");
        WireAssert.Str(data, "peerId", spoofer.Id);
        Assert.Equal(1, data.EnumerateObject().Count(property => property.Name == "peerId"));
        WireAssert.Bool(data, "isHub", false);
        Assert.Equal(1, data.GetProperty("foo").GetInt32());
        await member.AssertNothingElseAsync(Wire.About(victim));
    }

    [Fact]
    public async Task An_isHub_true_in_the_announce_data_shows_the_peer_as_a_hub()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var hub = await ConnectAsync(Server);
        var pretender = await ConnectAsync(Server);

        await hub.AnnounceAsync(network, "\"isHub\":true");
        var hubShown = await member.ExpectAsync(Wire.Discovered(hub.Id), "peer-discovered about the hub");
        WireAssert.Bool(hubShown.Message.GetProperty("data"), "isHub", true);
        var memberShown = await hub.ExpectAsync(Wire.Discovered(member.Id), "peer-discovered about the member");
        WireAssert.Bool(memberShown.Message.GetProperty("data"), "isHub", false);

        // Only the JSON value true counts, as `data.isHub === true` upstream.
        await pretender.AnnounceAsync(network, "\"isHub\":\"true\"");
        var pretenderShown = await member.ExpectAsync(Wire.Discovered(pretender.Id), "peer-discovered about the string-isHub peer");
        WireAssert.Bool(pretenderShown.Message.GetProperty("data"), "isHub", false);
        var hubToPretender = await pretender.ExpectAsync(Wire.Discovered(hub.Id), "peer-discovered about the hub, to the newcomer");
        WireAssert.Bool(hubToPretender.Message.GetProperty("data"), "isHub", true);
    }

    [Fact]
    public async Task Announcing_in_the_hub_namespace_shows_the_peer_as_a_hub()
    {
        var first = await ConnectAsync(Server);
        var second = await ConnectAsync(Server);

        await first.AnnounceAsync(HubNamespace);
        await second.AnnounceAsync(HubNamespace);

        var shown = await first.ExpectAsync(Wire.Discovered(second.Id), "peer-discovered about the second hub-namespace peer");
        WireAssert.PeerDiscovered(shown.Message, second.Id, isHub: true, HubNamespace, recipient: first.Id);
        var shownBack = await second.ExpectAsync(Wire.Discovered(first.Id), "peer-discovered about the first hub-namespace peer");
        WireAssert.PeerDiscovered(shownBack.Message, first.Id, isHub: true, HubNamespace, recipient: second.Id);
    }

    [Fact]
    public async Task An_announce_without_networkName_or_data_joins_global()
    {
        var bare = await ConnectAsync(Server);
        var other = await ConnectAsync(Server);

        await bare.SendAsync("""{"type":"announce"}""");
        await other.SendAsync("{\"type\":\"announce\",\"data\":{\"peerId\":\"" + other.Id + "\"}}");

        var aboutBare = await other.ExpectAsync(Wire.Discovered(bare.Id), "peer-discovered about the bare announcer in global");
        WireAssert.PeerDiscovered(aboutBare.Message, bare.Id, isHub: false, "global", recipient: other.Id);
        WireAssert.Fields(aboutBare.Message.GetProperty("data"), "peerId", "isHub");
        var aboutOther = await bare.ExpectAsync(Wire.Discovered(other.Id), "peer-discovered about the other global peer");
        WireAssert.PeerDiscovered(aboutOther.Message, other.Id, isHub: false, "global", recipient: bare.Id);
    }

    [Fact]
    public async Task A_peer_alone_in_its_network_receives_nothing()
    {
        var alone = await ConnectAsync(Server);

        await alone.AnnounceAsync(Ids.NewNetwork());

        await alone.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Unknown_top_level_fields_of_an_announce_are_ignored()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var announcer = await ConnectAsync(Server);

        await announcer.SendAsync($$"""{"futureField":{"x":[1,2]},"type":"announce","targetPeerId":null,"data":{"peerId":"{{announcer.Id}}"},"maxPeers":99,"networkName":"{{network}}","fromPeerId":"{{member.Id}}"}""");

        await member.ExpectAsync(Wire.Discovered(announcer.Id), "peer-discovered about the announcer");
        await announcer.ExpectAsync(Wire.Discovered(member.Id), "peer-discovered about the member");
        await announcer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Re_announcing_in_the_same_network_repeats_discovery_with_the_new_data()
    {
        var network = Ids.NewNetwork();
        var first = await JoinAsync(Server, network, []);
        var second = await JoinAsync(Server, network, [first]);

        await second.AnnounceAsync(network, "\"nickname\":\"renamed\"");

        var again = await first.ExpectAsync(Wire.Discovered(second.Id), "peer-discovered about the re-announcer again");
        WireAssert.Str(again.Message.GetProperty("data"), "nickname", "renamed");
        await second.ExpectAsync(Wire.Discovered(first.Id), "peer-discovered about the member again");
        await SettleAsync(Server, network, first, second);
        await first.AssertNothingElseAsync(Wire.About(second.Id), "no peer-disconnected for a re-announce");
        await second.AssertNothingElseAsync(Wire.About(first.Id));
    }

    [Fact]
    public async Task Moving_to_another_network_tells_each_old_member_once()
    {
        var oldNetwork = Ids.NewNetwork();
        var newNetwork = Ids.NewNetwork();
        var oldMembers = await GroupAsync(Server, 2, oldNetwork);
        var mover = await JoinAsync(Server, oldNetwork, oldMembers);
        var newMember = await JoinAsync(Server, newNetwork, []);

        await mover.AnnounceAsync(newNetwork);

        foreach (var member in oldMembers)
        {
            var departed = await member.ExpectAsync(Wire.Disconnected(mover.Id), "peer-disconnected about the mover");
            WireAssert.PeerDisconnected(departed.Message, mover.Id, oldNetwork, member.Id);
        }

        var arrived = await newMember.ExpectAsync(Wire.Discovered(mover.Id), "peer-discovered about the mover in its new network");
        WireAssert.PeerDiscovered(arrived.Message, mover.Id, isHub: false, newNetwork, newMember.Id);
        var introduced = await mover.ExpectAsync(Wire.Discovered(newMember.Id), "peer-discovered about the new network's member");
        WireAssert.PeerDiscovered(introduced.Message, newMember.Id, isHub: false, newNetwork, mover.Id);

        var marker = await SettleAsync(Server, oldNetwork, [.. oldMembers]);
        foreach (var member in oldMembers)
        {
            await member.AssertNothingElseAsync(Wire.About(mover.Id), "exactly one peer-disconnected");
        }

        await mover.AssertNothingElseAsync();
        await newMember.AssertNothingElseAsync();

        // The mover no longer belongs to the old network: a newcomer there is not introduced to it.
        var newcomer = await JoinAsync(Server, oldNetwork, [.. oldMembers, marker]);
        await mover.AssertNothingElseAsync(Wire.About(newcomer.Id));
    }

    [Fact]
    public async Task Networks_are_isolated()
    {
        var first = await JoinAsync(Server, Ids.NewNetwork(), []);
        var second = await JoinAsync(Server, Ids.NewNetwork(), []);
        var third = await JoinAsync(Server, Ids.NewNetwork(), []);

        await first.AssertNothingElseAsync();
        await second.AssertNothingElseAsync();
        await third.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Announcing_in_the_hub_namespace_discovers_the_silo_hub()
    {
        var (_, hubs) = await GetJsonAsync(Server, "/hubs");
        var siloHub = hubs.GetProperty("hubs").EnumerateArray()
            .Single(hub => hub.GetProperty("networkName").GetString() == HubNamespace && hub.GetProperty("data").TryGetProperty("silo", out _));
        var siloHubId = siloHub.GetProperty("peerId").GetString()!;
        var peer = await ConnectAsync(Server);

        await peer.AnnounceAsync(HubNamespace);

        var discovered = await peer.ExpectAsync(Wire.Discovered(siloHubId), "peer-discovered about the silo hub");
        WireAssert.PeerDiscovered(discovered.Message, siloHubId, isHub: true, HubNamespace, peer.Id);
    }
}
