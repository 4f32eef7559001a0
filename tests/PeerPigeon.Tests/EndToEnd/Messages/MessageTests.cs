namespace PeerPigeon.Tests.EndToEnd.Messages;

/// <summary>PROTOCOL.md §2: ping, cleanup, hub-only messages from a client, and every other type.</summary>
public abstract class MessageTests(ServerFixture fixture) : EndToEndTest
{
    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Ping_gets_a_pong_in_the_exact_shape_naming_the_peer_network()
    {
        var peer = await ConnectAsync(Server);

        await peer.SendAsync("""{"type":"ping","data":{"timestamp":1},"extra":[1]}""");
        var beforeAnnounce = await peer.ExpectAsync(Wire.IsType("pong"), "the pong");
        AssertPong(beforeAnnounce, peer.Id, "global");

        var network = Ids.NewNetwork();
        await peer.AnnounceAsync(network);
        await peer.SendAsync("""{"type":"ping"}""");
        var afterAnnounce = await peer.ExpectAsync(Wire.IsType("pong"), "the pong after announcing");
        AssertPong(afterAnnounce, peer.Id, network);
        await peer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Cleanup_and_cleanup_all_are_accepted_without_a_reply()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var other = await JoinAsync(Server, network, [sender]);

        await sender.SendAsync($$"""{"type":"cleanup","data":{"peerId":"{{sender.Id}}","targetPeerId":"{{other.Id}}","timestamp":1,"reason":"connection_established"},"maxPeers":3,"networkName":"{{network}}","targetPeerId":"{{other.Id}}"}""");
        await sender.SendAsync($$"""{"type":"cleanup-all","data":{"peerId":"{{sender.Id}}","timestamp":1,"reason":"peer_cleanup"},"maxPeers":3,"networkName":"{{network}}"}""");

        await sender.AssertNothingElseAsync(context: "no reply to cleanup and cleanup-all");
        await other.AssertNothingElseAsync(context: "cleanup is not relayed");
    }

    [Fact]
    public async Task Hub_messages_from_a_client_are_ignored()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 3, network);
        var client = members[0];
        var phantom = Ids.NewPeerId();

        await client.SendAsync($$"""{"type":"peer-discovered","data":{"peerId":"{{phantom}}","isHub":false},"networkName":"{{network}}","targetPeerId":"{{members[1].Id}}"}""");
        await client.SendAsync($$"""{"type":"peer-disconnected","data":{"peerId":"{{members[2].Id}}","isHub":false,"reason":"spoofed"},"networkName":"{{network}}","targetPeerId":"{{members[1].Id}}"}""");

        await client.AssertNothingElseAsync(context: "no error for hub messages");
        await SettleAsync(Server, network, members[1], members[2]);
        await members[1].AssertNothingElseAsync(context: "nothing is relayed or announced");
        await members[2].AssertNothingElseAsync(context: "the member is still in the network");
        await AssertRelaysAsync(members[1], members[2]);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("connected")]
    [InlineData("pong")]
    [InlineData("error")]
    [InlineData("OFFER")]
    [InlineData("Announce")]
    [InlineData("")]
    [InlineData("ünïcödé 'quoted' \\\"x\\\"")]
    public async Task Any_other_type_gets_an_error_in_the_exact_shape_and_nothing_is_relayed(string type)
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);

        await sender.SendAsync($$"""{"type":"{{type}}","data":{"sdp":"x"},"networkName":"{{network}}","targetPeerId":"{{target.Id}}"}""");

        var error = await sender.ExpectAsync(Wire.Error(), $"an error for type '{type}'");
        var decoded = System.Text.Json.JsonDocument.Parse($"\"{type}\"").RootElement.GetString();
        WireAssert.Fields(error.Message, "type", "error", "networkName", "timestamp");
        WireAssert.Str(error.Message, "error", $"Unsupported message type '{decoded}'");
        WireAssert.Str(error.Message, "networkName", network);
        WireAssert.Timestamp(error.Message);
        await sender.AssertNothingElseAsync();
        await target.AssertNothingElseAsync(context: "unknown types are never relayed");
    }

    private static void AssertPong(ReceivedFrame pong, string peerId, string network)
    {
        var message = pong.Message;
        WireAssert.Fields(message, "type", "data", "fromPeerId", "targetPeerId", "networkName", "timestamp");
        WireAssert.Fields(message.GetProperty("data"), "timestamp");
        WireAssert.Timestamp(message.GetProperty("data"));
        WireAssert.Str(message, "fromPeerId", "system");
        WireAssert.Str(message, "targetPeerId", peerId);
        WireAssert.Str(message, "networkName", network);
        WireAssert.Timestamp(message);
    }
}
