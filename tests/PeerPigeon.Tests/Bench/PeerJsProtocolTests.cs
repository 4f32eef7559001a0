using System.Text;
using System.Text.Json;
using PeerPigeon.Bench.Protocol;

namespace PeerPigeon.Tests.Bench;

public sealed class PeerJsProtocolTests
{
    private static readonly PeerJsProtocol PeerJs = PeerJsProtocol.Instance;

    [Theory]
    [InlineData("ws://127.0.0.1:3912", "/peerjs")]
    [InlineData("ws://127.0.0.1:3912/", "/peerjs")]
    [InlineData("ws://127.0.0.1:3912/app", "/app/peerjs")]
    [InlineData("wss://signal.example/app/", "/app/peerjs")]
    public void Sockets_open_the_servers_peerjs_path_with_key_id_and_a_token(string server, string path)
    {
        var peerId = PeerIds.New();
        var uri = PeerJs.ConnectUri(new Uri(server), peerId);
        Assert.Equal(path, uri.AbsolutePath);
        Assert.Equal(new Uri(server).Authority, uri.Authority);
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("peerjs", query["key"]);
        Assert.Equal(peerId, query["id"]);
        Assert.Matches("^[0-9a-f]{16}$", query["token"]);
    }

    [Fact]
    public void Each_socket_gets_its_own_token()
    {
        var server = new Uri("ws://127.0.0.1:3912");
        Assert.NotEqual(PeerJs.ConnectUri(server, "a").Query, PeerJs.ConnectUri(server, "a").Query);
    }

    [Fact]
    public void The_server_says_OPEN_first_and_a_heartbeat_is_sent_every_5_seconds()
    {
        Assert.Equal("OPEN", PeerJs.OpenFrameType);
        Assert.Equal(FrameKind.Open, PeerJs.Classify("OPEN"));
        Assert.False(PeerJs.HasDiscovery);
        Assert.Equal(TimeSpan.FromSeconds(5), PeerJs.HeartbeatInterval);
        Assert.Equal("""{"type":"HEARTBEAT"}""", Encoding.UTF8.GetString(PeerJs.Heartbeat()));
    }

    [Theory]
    [InlineData(nameof(FrameKind.Offer), "OFFER", "offer")]
    [InlineData(nameof(FrameKind.Answer), "ANSWER", "answer")]
    public void Offers_and_answers_go_to_dst_with_the_sdp_sequence_and_stamp_in_the_payload(string kindName, string type, string sdpType)
    {
        var kind = Enum.Parse<FrameKind>(kindName);
        var target = PeerIds.New();
        var sdp = Frames.Sdp(300);
        using var document = JsonDocument.Parse(PeerJs.Signal(kind, target, "ignored-network", 42, long.MaxValue, sdp));
        var root = document.RootElement;
        Assert.Equal(type, root.GetProperty("type").GetString());
        Assert.Equal(target, root.GetProperty("dst").GetString());
        Assert.False(root.TryGetProperty("networkName", out _), "PeerJS has no networks");
        var payload = root.GetProperty("payload");
        Assert.Equal(sdpType, payload.GetProperty("type").GetString());
        Assert.Equal(sdp, payload.GetProperty("sdp").GetString());
        Assert.Equal(42, payload.GetProperty("seq").GetInt64());
        Assert.Equal(long.MaxValue, payload.GetProperty("sent").GetInt64());
    }

    [Fact]
    public void Ice_candidates_are_CANDIDATE_frames_numbered_and_stamped_like_offers()
    {
        var target = PeerIds.New();
        var frame = PeerJs.IceCandidate(target, "ignored-network", int.MaxValue, long.MaxValue);
        Assert.InRange(frame.Length, 150, 320);
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        Assert.Equal("CANDIDATE", root.GetProperty("type").GetString());
        Assert.Equal(target, root.GetProperty("dst").GetString());
        var payload = root.GetProperty("payload");
        Assert.StartsWith("candidate:", payload.GetProperty("candidate").GetString(), StringComparison.Ordinal);
        Assert.Equal(int.MaxValue, payload.GetProperty("seq").GetInt64());
        Assert.Equal(long.MaxValue, payload.GetProperty("sent").GetInt64());
    }

    [Fact]
    public void Only_offers_and_answers_are_signals()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PeerJs.Signal(FrameKind.IceCandidate, "b", "n", 0, 0, ""));
    }

    [Theory]
    [InlineData("OFFER", nameof(FrameKind.Offer))]
    [InlineData("ANSWER", nameof(FrameKind.Answer))]
    [InlineData("CANDIDATE", nameof(FrameKind.IceCandidate))]
    [InlineData("ERROR", nameof(FrameKind.Error))]
    [InlineData("ID-TAKEN", nameof(FrameKind.Error))]
    [InlineData("EXPIRE", nameof(FrameKind.Error))]
    [InlineData("LEAVE", nameof(FrameKind.Error))]
    [InlineData("HEARTBEAT", nameof(FrameKind.Other))]
    [InlineData("offer", nameof(FrameKind.Other))]
    public void Received_types_are_classified(string type, string kind) =>
        Assert.Equal(Enum.Parse<FrameKind>(kind), PeerJs.Classify(type));

    [Fact]
    public void A_relayed_frame_is_read_from_src_and_payload()
    {
        // As the server forwards it: the sender's fields with src added (key order type, src, dst, payload).
        using var document = JsonDocument.Parse(
            """{"type":"OFFER","src":"aaaa","dst":"bbbb","payload":{"type":"offer","sdp":"v=0","seq":7,"sent":123456789}}""");
        var frame = new ReceivedFrame("OFFER", document.RootElement, 1, PeerJs);
        Assert.Equal(FrameKind.Offer, frame.Kind);
        Assert.Equal("aaaa", frame.FromPeerId);
        Assert.Equal(7, frame.DataNumber("seq"));
        Assert.Equal(123456789, frame.DataNumber("sent"));
        Assert.Equal(-1, frame.DataNumber("missing"));
    }

    [Theory]
    [InlineData("""{"type":"ERROR","payload":{"msg":"Server has reached its concurrent user limit"}}""", "ERROR: Server has reached its concurrent user limit")]
    [InlineData("""{"type":"ID-TAKEN","payload":{"msg":"ID is taken"}}""", "ID-TAKEN: ID is taken")]
    [InlineData("""{"type":"EXPIRE","src":"bbbb","dst":"aaaa"}""", "EXPIRE: a frame to bbbb was not delivered")]
    [InlineData("""{"type":"LEAVE","src":"bbbb","dst":"aaaa"}""", "LEAVE: bbbb is gone")]
    public void Errors_say_what_the_server_refused_or_could_not_deliver(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        var type = document.RootElement.GetProperty("type").GetString()!;
        var frame = new ReceivedFrame(type, document.RootElement, 1, PeerJs);
        Assert.Equal(FrameKind.Error, frame.Kind);
        Assert.StartsWith(expected, frame.ErrorText, StringComparison.Ordinal);
    }
}
