using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.Relay;

/// <summary>PROTOCOL.md §2: targeted relay of signaling, its envelope, and what is refused.</summary>
public abstract class RelayTests(ServerFixture fixture) : EndToEndTest
{
    /// <summary>
    /// Signaling data with whitespace between tokens, escapes, non-ASCII text and number spellings that a
    /// re-serializer would change; the target must receive it exactly as written.
    /// </summary>
    private const string OddData = "{ \"type\" :\t\"offer\" ,\n  \"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\" , \"u\":\"\\u00e9\\ud83d\\ude00 é 😀\","
        + " \"esc\":\"\\\"\\\\\\/<>&'\", \"n\": 1.0e+3 , \"big\": 12345678901234567890123, \"arr\":[ ] ,\r\n \"nested\":{\"a\":{\"b\":[true,false,null]}}  }";

    protected GatewayServer Server => fixture.Server;

    [Theory]
    [InlineData("offer")]
    [InlineData("answer")]
    [InlineData("ice-candidate")]
    [InlineData("renegotiation-offer")]
    [InlineData("renegotiation-answer")]
    [InlineData("ice-restart-offer")]
    [InlineData("ice-restart-answer")]
    [InlineData("recovery-offer")]
    public async Task Signaling_is_relayed_with_the_exact_envelope_and_the_data_byte_for_byte(string type)
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);

        await sender.SendAsync($$"""{"type":"{{type}}","data":{{OddData}},"maxPeers":3,"networkName":"{{network}}","targetPeerId":"{{target.Id}}"}""");

        var relayed = await target.ExpectAsync(Wire.Relayed(type, sender.Id), $"the relayed {type}");
        Assert.Contains("\"data\":" + OddData + ",", relayed.Raw, StringComparison.Ordinal);
        var message = relayed.Message;
        WireAssert.Fields(message, "type", "data", "fromPeerId", "targetPeerId", "networkName", "timestamp");
        WireAssert.Str(message, "type", type);
        WireAssert.Str(message, "fromPeerId", sender.Id);
        WireAssert.Str(message, "targetPeerId", target.Id);
        WireAssert.Str(message, "networkName", network);
        WireAssert.Timestamp(message);
        await sender.AssertNothingElseAsync(context: "no acknowledgement of a relay");
        await target.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_connection_rejected_is_not_relayed_and_the_sender_gets_an_error()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);

        await sender.SignalAsync("connection-rejected", target, """{"reason":"max_peers_reached"}""", network);

        var error = await sender.ExpectAsync(Wire.Error(), "an error for connection-rejected");
        WireAssert.Fields(error.Message, "type", "error", "networkName", "timestamp");
        WireAssert.Str(error.Message, "error", "Unsupported message type 'connection-rejected'");
        WireAssert.Str(error.Message, "networkName", network);
        WireAssert.Timestamp(error.Message);
        await target.AssertNothingElseAsync(context: "connection-rejected must not be relayed");
    }

    [Fact]
    public async Task A_client_supplied_fromPeerId_is_ignored()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);
        var victim = await JoinAsync(Server, network, [sender, target]);

        await sender.SendAsync($$"""{"type":"offer","data":{"sdp":"spoof"},"fromPeerId":"{{victim.Id}}","targetPeerId":"{{target.Id}}"}""");

        var offer = await target.ExpectAsync(Wire.IsType("offer"), "the offer with a spoofed fromPeerId");
        WireAssert.Str(offer.Message, "fromPeerId", sender.Id);
    }

    [Fact]
    public async Task A_client_announced_as_a_hub_gets_no_relay_privileges()
    {
        var network = Ids.NewNetwork();
        var hub = await JoinAsync(Server, network, [], extraData: "\"isHub\":true");
        var target = await JoinAsync(Server, network, [hub]);
        var victim = await JoinAsync(Server, network, [hub, target]);
        var phantom = Ids.NewPeerId();

        await hub.SendAsync($$"""{"type":"offer","data":{"sdp":"relayed-for-others"},"fromPeerId":"{{victim.Id}}","networkName":"{{network}}","targetPeerId":"{{target.Id}}"}""");
        var offer = await target.ExpectAsync(Wire.IsType("offer"), "the offer from the hub-claiming client");
        WireAssert.Str(offer.Message, "fromPeerId", hub.Id);

        await hub.SendAsync($$"""{"type":"peer-discovered","data":{"peerId":"{{phantom}}","isHub":false},"networkName":"{{network}}","targetPeerId":"{{target.Id}}"}""");
        await hub.SendAsync($$"""{"type":"peer-disconnected","data":{"peerId":"{{victim.Id}}","isHub":false,"reason":"spoofed"},"networkName":"{{network}}","targetPeerId":"{{target.Id}}"}""");
        await hub.AssertNothingElseAsync();
        await SettleAsync(Server, network, target, victim);
        await target.AssertNothingElseAsync(context: "a client that claims to be a hub cannot announce or remove peers");
        await AssertRelaysAsync(target, victim);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("sender")]
    [InlineData(null)]
    public async Task The_sender_network_decides_whatever_networkName_the_message_claims(string? claimed)
    {
        var senderNetwork = Ids.NewNetwork();
        var targetNetwork = Ids.NewNetwork();
        var sender = await JoinAsync(Server, senderNetwork, []);
        var target = await JoinAsync(Server, targetNetwork, []);
        var network = claimed switch { "target" => targetNetwork, "sender" => senderNetwork, _ => null };

        await sender.SignalAsync("offer", target, """{"sdp":"cross"}""", network);

        var error = await sender.ExpectAsync(Wire.Error(), "an error for a target in another network");
        AssertUndelivered(error.Message, senderNetwork);
        await target.AssertNothingElseAsync(context: "nothing crosses networks");
    }

    [Fact]
    public async Task Peers_that_never_announced_signal_each_other_in_global()
    {
        var sender = await ConnectAsync(Server);
        var target = await ConnectAsync(Server);

        await sender.SignalAsync("offer", target, """{"sdp":"global"}""");

        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the offer between two unannounced peers");
        WireAssert.Str(offer.Message, "networkName", "global");
    }

    [Fact]
    public async Task A_peer_that_never_announced_cannot_reach_another_network()
    {
        var unannounced = await ConnectAsync(Server);
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);

        await unannounced.SignalAsync("offer", member, """{"sdp":"from-global"}""", network);

        var error = await unannounced.ExpectAsync(Wire.Error(), "an error for signaling from global into a network");
        AssertUndelivered(error.Message, "global");
        await unannounced.AssertNothingElseAsync();
        await member.AssertNothingElseAsync();

        // The other direction (a target attached but not yet announced) waits for the target's announce, as the
        // mailbox tests show.
    }

    [Theory]
    [InlineData("""{"type":"offer","data":{"sdp":"x"},"networkName":"NETWORK"}""")]
    [InlineData("""{"type":"offer","data":{"sdp":"x"},"networkName":"NETWORK","targetPeerId":""}""")]
    [InlineData("""{"type":"ice-candidate","data":{"candidate":"x"},"targetPeerId":null}""")]
    public async Task A_missing_targetPeerId_gets_an_error(string frame)
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var member = await JoinAsync(Server, network, [sender]);

        await sender.SendAsync(frame.Replace("NETWORK", network, StringComparison.Ordinal));

        var error = await sender.ExpectAsync(Wire.Error(), "an error for a message without targetPeerId");
        WireAssert.Str(error.Message, "networkName", network);
        WireAssert.Timestamp(error.Message);
        await member.AssertNothingElseAsync(context: "nothing is relayed without a target");
    }

    [Fact]
    public async Task Two_hundred_messages_from_one_sender_arrive_in_the_order_sent()
    {
        const int Count = 200;
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);
        string[] types = ["offer", "answer", "ice-candidate", "renegotiation-offer", "ice-restart-answer"];

        for (var i = 0; i < Count; i++)
        {
            await sender.SignalAsync(types[i % types.Length], target, $$"""{"seq":{{i}}}""", network);
        }

        var received = await target.ExpectManyAsync(Count, message => Wire.Str(message, "fromPeerId") == sender.Id, "a relayed message");
        var order = received.Select(frame => frame.Message.GetProperty("data").GetProperty("seq").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, Count), order);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => types[i % types.Length]), received.Select(frame => Wire.Str(frame.Message, "type")));
        await sender.AssertNothingElseAsync();
    }

    private static void AssertUndelivered(JsonElement error, string senderNetwork)
    {
        WireAssert.Str(error, "type", "error");
        WireAssert.AnyString(error, "error");
        WireAssert.Str(error, "networkName", senderNetwork);
        WireAssert.Timestamp(error);
    }
}
