using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.Goodbye;

/// <summary>PROTOCOL.md §2 goodbye: relayed to the whole network with the sender's real network, then one departure; the socket stays usable.</summary>
public abstract class GoodbyeTests(ServerFixture fixture) : EndToEndTest
{
    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task A_goodbye_without_networkName_reaches_every_member_then_one_peer_disconnected()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 7, network);
        var leaver = members[0];
        var data = $$"""{"peerId":"{{leaver.Id}}","timestamp":1,"reason":"peer_disconnect"}""";

        await leaver.SendAsync($$"""{"type":"goodbye","data":{{data}}}""");

        foreach (var member in members.Skip(1))
        {
            var goodbye = await member.ExpectAsync(Wire.Goodbye(leaver.Id), $"the goodbye at {member.Id}");
            AssertGoodbye(goodbye, data, leaver.Id, network);
            var departed = await member.ExpectAsync(Wire.Disconnected(leaver.Id), $"peer-disconnected at {member.Id}");
            Assert.True(goodbye.Index < departed.Index, "the goodbye comes before peer-disconnected");
            WireAssert.Str(departed.Message, "networkName", network);
        }

        await SettleAsync(Server, network, [.. members.Skip(1)]);
        foreach (var member in members.Skip(1))
        {
            await member.AssertNothingElseAsync(Wire.About(leaver.Id), "one goodbye and one peer-disconnected");
        }

        await leaver.AssertNothingElseAsync(context: "the sender gets nothing back");
    }

    [Fact]
    public async Task A_goodbye_with_null_data_reaches_the_network_without_data()
    {
        var network = Ids.NewNetwork();
        var leaver = await JoinAsync(Server, network, []);
        var stayer = await JoinAsync(Server, network, [leaver]);

        await leaver.SendAsync("""{"type":"goodbye","data":null}""");

        var goodbye = await stayer.ExpectAsync(Wire.Goodbye(leaver.Id), "the goodbye");
        WireAssert.Fields(goodbye.Message, "type", "fromPeerId", "networkName", "timestamp");
        await stayer.ExpectAsync(Wire.Disconnected(leaver.Id), "peer-disconnected");
        await leaver.AssertNothingElseAsync(context: "the sender gets nothing back");
    }

    [Fact]
    public async Task A_goodbye_claiming_another_network_is_stamped_with_the_sender_real_network()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 2, network);
        var leaver = members[0];
        var data = $$"""{"peerId":"{{leaver.Id}}","timestamp":1795353300640,"reason":"page unload \"bye\" é"}""";

        await leaver.SendAsync($$"""{"type":"goodbye","data":{{data}},"maxPeers":3,"networkName":"global"}""");

        var goodbye = await members[1].ExpectAsync(Wire.Goodbye(leaver.Id), "the goodbye");
        AssertGoodbye(goodbye, data, leaver.Id, network);
        await members[1].ExpectAsync(Wire.Disconnected(leaver.Id), "peer-disconnected");
    }

    [Fact]
    public async Task The_socket_stays_usable_after_goodbye_and_a_new_announce_rejoins()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 2, network);
        var leaver = members[0];
        var stayer = members[1];

        await leaver.SendAsync(Wire.GoodbyeMessage(leaver.Id));
        await stayer.ExpectAsync(Wire.Goodbye(leaver.Id), "the goodbye");
        await stayer.ExpectAsync(Wire.Disconnected(leaver.Id), "peer-disconnected");

        var pong = await leaver.SyncAsync();
        WireAssert.Str(pong.Message, "targetPeerId", leaver.Id);
        WireAssert.Str(pong.Message, "networkName", "global");

        await leaver.AnnounceAsync(network);
        await stayer.ExpectAsync(Wire.Discovered(leaver.Id), "peer-discovered about the returning peer");
        await leaver.ExpectAsync(Wire.Discovered(stayer.Id), "peer-discovered about the member");
        await AssertRelaysAsync(leaver, stayer);
        await leaver.AssertNothingElseAsync();
        await stayer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_goodbye_before_any_announce_tells_nobody()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var unannounced = await ConnectAsync(Server);

        await unannounced.SendAsync(Wire.GoodbyeMessage(unannounced.Id));

        await unannounced.AssertNothingElseAsync();
        await SettleAsync(Server, network, member);
        await member.AssertNothingElseAsync(Wire.About(unannounced.Id));
    }

    [Fact]
    public async Task A_goodbye_leaves_other_networks_alone()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 2, network);
        var outsider = await JoinAsync(Server, Ids.NewNetwork(), []);

        await members[0].SendAsync(Wire.GoodbyeMessage(members[0].Id));
        await members[1].ExpectAsync(Wire.Disconnected(members[0].Id), "peer-disconnected");

        await outsider.AssertNothingElseAsync();
    }

    private static void AssertGoodbye(ReceivedFrame goodbye, string data, string from, string network)
    {
        Assert.Contains("\"data\":" + data, goodbye.Raw, StringComparison.Ordinal);
        JsonElement message = goodbye.Message;
        WireAssert.Fields(message, "type", "data", "fromPeerId", "networkName", "timestamp");
        WireAssert.Str(message, "type", "goodbye");
        WireAssert.Str(message, "fromPeerId", from);
        WireAssert.Str(message, "networkName", network);
        WireAssert.Timestamp(message);
    }
}
