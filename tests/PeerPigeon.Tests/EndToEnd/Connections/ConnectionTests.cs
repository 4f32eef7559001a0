using System.Net.WebSockets;
using System.Text;

namespace PeerPigeon.Tests.EndToEnd.Connections;

/// <summary>PROTOCOL.md §1: the URL, the checks after the upgrade, <c>connected</c>, frame kinds and sizes.</summary>
public abstract class ConnectionTests(ServerFixture fixture) : EndToEndTest
{
    private const int MaxMessageSize = 1_048_576;

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Connected_is_the_first_frame_and_has_the_exact_shape()
    {
        var id = Ids.NewPeerId();
        var peer = await OpenAsync(Server, $"/?peerId={id}", id);

        var connected = await peer.ExpectAsync(Wire.IsType("connected"), "connected");

        Assert.Equal(0, connected.Index);
        var message = connected.Message;
        WireAssert.Fields(message, "type", "data", "fromPeerId", "timestamp");
        WireAssert.Fields(message.GetProperty("data"), "peerId");
        WireAssert.Str(message.GetProperty("data"), "peerId", id);
        WireAssert.Str(message, "fromPeerId", "system");
        WireAssert.Timestamp(message);
        await peer.AssertNothingElseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ws")]
    [InlineData("/some/other/path")]
    [InlineData("/health")]
    public async Task Any_path_is_accepted(string path)
    {
        var id = Ids.NewPeerId();
        var peer = await OpenAsync(Server, $"{path}?peerId={id}", id);

        var connected = await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        WireAssert.Str(connected.Message.GetProperty("data"), "peerId", id);
    }

    [Fact]
    public async Task The_first_peerId_parameter_wins()
    {
        var first = Ids.NewPeerId();
        var second = Ids.NewPeerId();
        var peer = await OpenAsync(Server, $"/?peerId={first}&peerId={second}", first);

        var connected = await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        WireAssert.Str(connected.Message.GetProperty("data"), "peerId", first);

        // The second id was not taken: it can connect on its own.
        await ConnectAsync(Server, second);
    }

    [Fact]
    public async Task The_peerId_parameter_name_is_case_sensitive()
    {
        var id = Ids.NewPeerId();
        var peer = await OpenAsync(Server, $"/?PeerId=xyz&peerid={Ids.NewPeerId()}&peerId={id}", id);

        var connected = await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        WireAssert.Str(connected.Message.GetProperty("data"), "peerId", id);
    }

    [Fact]
    public async Task Other_query_parameters_are_ignored()
    {
        var id = Ids.NewPeerId();
        var peer = await OpenAsync(Server, $"/some/path?networkName=ignored&peerId={id}&token=abc&foo=bar", id);

        var connected = await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        WireAssert.Str(connected.Message.GetProperty("data"), "peerId", id);

        // The networkName parameter does not place the peer in a network: its pong names 'global'.
        var pong = await peer.SyncAsync();
        WireAssert.Str(pong.Message, "networkName", "global");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?")]
    [InlineData("/?peerId=")]
    [InlineData("/?peerId=xyz")]
    [InlineData("/?peerId=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/?peerId=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/?peerId=gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/?peerId=%20aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/?peerid=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task A_missing_or_malformed_peerId_is_closed_with_1008_after_the_upgrade(string pathAndQuery)
    {
        // The upgrade itself succeeds (OpenAsync would throw otherwise); the rejection is a close frame.
        var peer = await OpenAsync(Server, pathAndQuery, "(invalid)");

        await peer.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid peerId format");
        Assert.Empty(peer.Frames);
    }

    [Fact]
    public async Task An_uppercase_id_is_accepted_and_kept_as_given()
    {
        var network = Ids.NewNetwork();
        var upperId = Ids.NewPeerId().ToUpperInvariant();
        var other = await JoinAsync(Server, network, []);
        var upper = await OpenAsync(Server, $"/?peerId={upperId}", upperId);

        var connected = await upper.ExpectAsync(Wire.IsType("connected"), "connected");
        WireAssert.Str(connected.Message.GetProperty("data"), "peerId", upperId);

        await AnnounceAsync(upper, network, [other]);
        await upper.SignalAsync("offer", other);
        var offer = await other.ExpectAsync(Wire.IsType("offer"), "the offer from the uppercase peer");
        WireAssert.Str(offer.Message, "fromPeerId", upperId);
    }

    [Fact]
    public async Task Ids_that_differ_only_in_case_are_different_peers()
    {
        var lower = Ids.NewPeerId();
        await ConnectAsync(Server, lower);

        var upper = await ConnectAsync(Server, lower.ToUpperInvariant());

        await upper.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_duplicate_peerId_is_closed_with_1008_and_the_first_socket_keeps_working()
    {
        var network = Ids.NewNetwork();
        var first = await JoinAsync(Server, network, []);
        var partner = await JoinAsync(Server, network, [first]);

        var duplicate = await OpenAsync(Server, $"/?peerId={first.Id}", first.Id);

        await duplicate.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Peer already connected");
        Assert.Empty(duplicate.Frames);
        await AssertRelaysAsync(first, partner);
        await first.AssertNothingElseAsync();
        await partner.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_frame_larger_than_MAX_MESSAGE_SIZE_is_closed_with_1009()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var observer = await JoinAsync(Server, network, [sender]);

        await sender.SendAsync(RelayOfLength(observer.Id, MaxMessageSize + 1));

        await sender.ExpectCloseAsync(WebSocketCloseStatus.MessageTooBig, reason: null);
        await observer.ExpectAsync(Wire.Disconnected(sender.Id), "peer-disconnected about the closed sender");
        await SettleAsync(Server, network, observer);
        await observer.AssertNothingElseAsync(Wire.About(sender.Id), "the oversize offer is not relayed, and the departure is told once");
    }

    [Fact]
    public async Task A_frame_of_exactly_MAX_MESSAGE_SIZE_is_accepted()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await JoinAsync(Server, network, [sender]);
        var frame = RelayOfLength(target.Id, MaxMessageSize);

        await sender.SendAsync(frame);

        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the 1 MiB offer");
        Assert.Contains(frame[frame.IndexOf("\"data\":", StringComparison.Ordinal)..^1], offer.Raw, StringComparison.Ordinal);
        await sender.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Binary_frames_carry_JSON_like_text_frames()
    {
        var network = Ids.NewNetwork();
        var sender = await ConnectAsync(Server);
        var target = await JoinAsync(Server, network, []);

        await sender.SendBinaryAsync(Wire.Announce(sender.Id, network));
        await target.ExpectAsync(Wire.Discovered(sender.Id), "peer-discovered about the binary announcer");
        await sender.ExpectAsync(Wire.Discovered(target.Id), "peer-discovered about the member");

        await sender.SendBinaryAsync(Wire.Signal("offer", target.Id, """{"type":"offer","sdp":"binary"}"""));
        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the offer sent as a binary frame");
        Assert.Equal(WebSocketMessageType.Text, offer.MessageType);
        Assert.Contains("""{"type":"offer","sdp":"binary"}""", offer.Raw, StringComparison.Ordinal);

        await sender.SendBinaryAsync("""{"type":"ping"}""");
        await sender.ExpectAsync(Wire.IsType("pong"), "the pong to a binary ping");
    }

    /// <summary>An offer to <paramref name="target"/> padded to exactly <paramref name="length"/> bytes.</summary>
    private static string RelayOfLength(string target, int length)
    {
        var prefix = "{\"type\":\"offer\",\"targetPeerId\":\"" + target + "\",\"data\":{\"sdp\":\"";
        const string Suffix = "\"}}";
        var text = prefix + new string('x', length - prefix.Length - Suffix.Length) + Suffix;
        Assert.Equal(length, Encoding.UTF8.GetByteCount(text));
        return text;
    }
}
