using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.BadInput;

/// <summary>
/// Hostile or broken input gets its documented error or close, and never disturbs anyone else: a healthy pair of peers
/// on the same server is checked after every attack.
/// </summary>
public abstract class BadInputTests(ServerFixture fixture) : EndToEndTest
{
    private string _network = string.Empty;
    private TestPeer _first = null!;
    private TestPeer _second = null!;
    private TestPeer _attacker = null!;

    protected GatewayServer Server => fixture.Server;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _network = Ids.NewNetwork();
        _first = await JoinAsync(Server, _network, []);
        _second = await JoinAsync(Server, _network, [_first]);
        _attacker = await JoinAsync(Server, _network, [_first, _second]);
    }

    [Theory]
    [InlineData("{\"type\":")]
    [InlineData("not json")]
    [InlineData("{\"type\":\"ping\"}x")]
    [InlineData("{\"type\":\"offer\",}")]
    [InlineData("{'type':'ping'}")]
    [InlineData("")]
    public async Task Invalid_JSON_gets_an_error_and_the_connection_stays(string frame)
    {
        await _attacker.SendAsync(frame);

        await ExpectFrameErrorAsync();
        await AssertUndisturbedAsync();
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("[]")]
    [InlineData("\"announce\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task JSON_that_is_not_an_object_gets_an_error(string frame)
    {
        await _attacker.SendAsync(frame);

        await ExpectFrameErrorAsync();
        await AssertUndisturbedAsync();
    }

    [Theory]
    [InlineData("""{"data":{"peerId":"x"}}""")]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"type":{"nested":"offer"}}""")]
    [InlineData("""{"type":["offer"]}""")]
    public async Task A_missing_or_non_string_type_gets_an_error(string frame)
    {
        await _attacker.SendAsync(frame);

        await ExpectFrameErrorAsync();
        await AssertUndisturbedAsync();
    }

    [Theory]
    [InlineData("""{"type":"offer","targetPeerId":5,"data":{"sdp":"x"}}""")]
    [InlineData("""{"type":"offer","targetPeerId":["TARGET"],"data":{"sdp":"x"}}""")]
    [InlineData("""{"type":"offer","targetPeerId":"not-a-peer-id","data":{"sdp":"x"}}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","data":"x"}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","data":["x"]}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","data":42}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","networkName":{},"data":{"sdp":"x"}}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","networkName":7,"data":{"sdp":"x"}}""")]
    public async Task A_relay_with_a_mistyped_field_gets_an_error_and_is_not_relayed(string frame)
    {
        await _attacker.SendAsync(frame.Replace("TARGET", _first.Id, StringComparison.Ordinal));

        var error = await _attacker.ExpectAsync(Wire.Error(), "an error for the mistyped relay");
        WireAssert.Str(error.Message, "networkName", _network);
        WireAssert.AnyString(error.Message, "error");
        await _attacker.AssertNothingElseAsync();
        await AssertUndisturbedAsync();
    }

    [Theory]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET"}""")]
    [InlineData("""{"type":"offer","targetPeerId":"TARGET","data":null}""")]
    public async Task A_relay_without_data_or_with_null_data_is_refused_as_missing_data(string frame)
    {
        await _attacker.SendAsync(frame.Replace("TARGET", _first.Id, StringComparison.Ordinal));

        var error = await _attacker.ExpectAsync(Wire.Error("Missing field 'data'"), "the error for the relay without data");
        var undelivered = error.Message.GetProperty("data");
        WireAssert.Str(undelivered, "targetPeerId", _first.Id);
        WireAssert.Str(undelivered, "type", "offer");
        await _attacker.AssertNothingElseAsync();
        await AssertUndisturbedAsync();
    }

    [Theory]
    [InlineData("""{"type":"announce","networkName":{},"data":{}}""")]
    [InlineData("""{"type":"announce","networkName":["x"]}""")]
    [InlineData("""{"type":"announce","networkName":"NET","data":"x"}""")]
    [InlineData("""{"type":"announce","networkName":"NET","data":[1]}""")]
    public async Task A_mistyped_announce_gets_an_error_and_changes_nothing(string frame)
    {
        await _attacker.SendAsync(frame.Replace("NET", Ids.NewNetwork(), StringComparison.Ordinal));

        await ExpectFrameErrorAsync();
        await AssertStillMemberAsync();
    }

    [Fact]
    public async Task A_ten_thousand_character_network_name_gets_an_error()
    {
        var name = new string('n', 10_000);

        await _attacker.SendAsync(Wire.Announce(_attacker.Id, name));

        await ExpectFrameErrorAsync();
        await AssertStillMemberAsync();
    }

    [Fact]
    public async Task Half_a_megabyte_of_announce_data_gets_an_error_and_is_not_fanned_out()
    {
        var newcomer = await ConnectAsync(Server);
        var bulk = new string('d', 500 * 1024);

        await newcomer.AnnounceAsync(_network, $"\"bulk\":\"{bulk}\"");

        var error = await newcomer.ExpectAsync(Wire.Error(), "an error for the oversized announce data");
        WireAssert.Fields(error.Message, "type", "error", "networkName", "timestamp");
        WireAssert.Str(error.Message, "networkName", "global");
        await newcomer.AssertNothingElseAsync(context: "the newcomer did not join");
        await AssertUndisturbedAsync();
        await _first.AssertNothingElseAsync(Wire.About(newcomer.Id), "the members were not told about the rejected announce");
    }

    [Fact]
    public async Task A_two_megabyte_frame_is_closed_with_1009_and_the_network_told_once()
    {
        var frame = Wire.Signal("offer", _first.Id, $$"""{"sdp":"{{new string('z', 2 * 1024 * 1024)}}"}""", _network);

        // The server stops reading at the limit, so this send may not complete cleanly.
        var sending = _attacker.SendAsync(frame);

        await _attacker.ExpectCloseAsync(WebSocketCloseStatus.MessageTooBig, reason: null);
        await Task.WhenAny(sending, Task.Delay(TestPeer.DefaultTimeout));
        await _first.ExpectAsync(Wire.Disconnected(_attacker.Id), "peer-disconnected about the attacker");
        await _second.ExpectAsync(Wire.Disconnected(_attacker.Id), "peer-disconnected about the attacker");
        await SettleAsync(Server, _network, _first, _second);
        await _first.AssertNothingElseAsync(Wire.About(_attacker.Id), "nothing of the frame is relayed; one peer-disconnected");
        await _second.AssertNothingElseAsync(Wire.About(_attacker.Id));
        await AssertRelaysAsync(_first, _second);
    }

    [Fact]
    public async Task Deeply_nested_JSON_gets_an_error()
    {
        var depth = 10_000;
        var frame = Wire.Signal("offer", _first.Id, "{\"x\":" + new string('[', depth) + new string(']', depth) + "}");

        await _attacker.SendAsync(frame);

        await ExpectFrameErrorAsync();
        await AssertUndisturbedAsync();
    }

    [Fact]
    public async Task A_binary_frame_that_is_not_UTF8_JSON_gets_an_error()
    {
        byte[] garbage = [0xff, 0xfe, 0x00, 0x7b, 0x22, 0xc3, 0x28, 0x80];

        await _attacker.SendAsync(garbage, WebSocketMessageType.Binary);

        await ExpectFrameErrorAsync();
        await AssertUndisturbedAsync();
    }

    [Fact]
    public async Task A_flood_of_five_thousand_unknown_types_gets_one_error_each_and_the_connection_stays()
    {
        const int Count = 5000;
        var frame = Encoding.UTF8.GetBytes(Wire.Signal("flood", _first.Id, """{"n":1}"""));

        for (var i = 0; i < Count; i++)
        {
            await _attacker.SendAsync(frame, WebSocketMessageType.Text);
        }

        var errors = await _attacker.ExpectManyAsync(Count, Wire.Error("Unsupported message type 'flood'"), "an error for the flood", TimeSpan.FromSeconds(30));
        Assert.Equal(Count, errors.Count);
        await _attacker.AssertNothingElseAsync();
        await AssertUndisturbedAsync();
    }

    /// <summary>The attacker gets one <c>error</c> about its frame (the frame-error shape) and keeps its connection.</summary>
    private async Task ExpectFrameErrorAsync()
    {
        var error = await _attacker.ExpectAsync(Wire.Error(), "an error about the frame");
        JsonElement message = error.Message;
        WireAssert.Fields(message, "type", "error", "networkName", "timestamp");
        WireAssert.AnyString(message, "error");
        WireAssert.Str(message, "networkName", _network);
        WireAssert.Timestamp(message);
        await _attacker.AssertNothingElseAsync(context: "one error per bad frame; the connection stays usable");
    }

    /// <summary>The attacker is still a member of the pair's network (a new member is introduced to it).</summary>
    private async Task AssertStillMemberAsync()
    {
        await AssertUndisturbedAsync();
        var newcomer = await JoinAsync(Server, _network, [_first, _second, _attacker]);
        await AssertRelaysAsync(_attacker, newcomer);
    }

    /// <summary>The healthy pair still relays both ways and saw nothing of the attack.</summary>
    private async Task AssertUndisturbedAsync()
    {
        await AssertRelaysAsync(_first, _second);
        await _first.AssertNothingElseAsync(context: "the healthy pair saw nothing of the attack");
        await _second.AssertNothingElseAsync(context: "the healthy pair saw nothing of the attack");
    }
}
