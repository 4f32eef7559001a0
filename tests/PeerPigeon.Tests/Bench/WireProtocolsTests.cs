using System.Text.Json;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Protocol;

namespace PeerPigeon.Tests.Bench;

public sealed class WireProtocolsTests
{
    [Theory]
    [InlineData("relay")]
    [InlineData("idle")]
    public void Relay_and_idle_speak_PeerPigeon_unless_told_otherwise(string scenario)
    {
        Assert.Same(PeerPigeonProtocol.Instance, WireProtocols.FromArguments(ParsedArguments.Parse([scenario])));
        Assert.Same(PeerJsProtocol.Instance, WireProtocols.FromArguments(ParsedArguments.Parse([scenario, "--protocol", "peerjs"])));
    }

    [Fact]
    public void The_protocol_is_a_parameter_of_the_result()
    {
        var parameters = ParsedArguments.Parse(["relay", "--protocol=peerjs"]).All().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(["peerjs"], parameters["protocol"]);
        Assert.Equal(["peerpigeon"], ParsedArguments.Parse(["idle"]).All().Single(kv => kv.Key == "protocol").Value);
    }

    [Fact]
    public void An_unknown_protocol_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<UsageException>(() => WireProtocols.FromArguments(ParsedArguments.Parse(["relay", "--protocol", "socketio"])));
        Assert.Equal("--protocol must be one of peerpigeon, peerjs, got 'socketio'.", error.Message);
    }

    [Theory]
    [InlineData("join-storm")]
    [InlineData("churn")]
    public void Scenarios_that_need_discovery_do_not_take_a_protocol(string scenario)
    {
        var error = Assert.Throws<UsageException>(() => ParsedArguments.Parse([scenario, "--protocol", "peerjs"]));
        Assert.StartsWith($"Unknown option --protocol for scenario '{scenario}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PeerPigeon_frames_are_the_ones_the_bench_always_sent()
    {
        var protocol = PeerPigeonProtocol.Instance;
        var target = PeerIds.New();
        var sdp = Frames.Sdp(100);
        Assert.Equal(Frames.Signal("offer", target, "net", 3, 9, sdp), protocol.Signal(FrameKind.Offer, target, "net", 3, 9, sdp));
        Assert.Equal(Frames.Signal("answer", target, "net", 3, 9, sdp), protocol.Signal(FrameKind.Answer, target, "net", 3, 9, sdp));
        Assert.Equal(Frames.IceCandidate(target, "net", 3, 9), protocol.IceCandidate(target, "net", 3, 9));
        Assert.Equal("connected", protocol.OpenFrameType);
        Assert.True(protocol.HasDiscovery);
        Assert.Null(protocol.HeartbeatInterval);
        Assert.Equal(new Uri("ws://127.0.0.1:3000/?peerId=" + target), protocol.ConnectUri(new Uri("ws://127.0.0.1:3000"), target));
    }

    [Fact]
    public void A_PeerPigeon_frame_is_read_from_fromPeerId_and_data()
    {
        using var document = JsonDocument.Parse(
            """{"type":"answer","data":{"type":"answer","sdp":"v=0","seq":5,"sent":77},"fromPeerId":"aaaa","targetPeerId":"bbbb","networkName":"n"}""");
        var frame = new ReceivedFrame("answer", document.RootElement, 1);
        Assert.Equal(FrameKind.Answer, frame.Kind);
        Assert.Equal("aaaa", frame.FromPeerId);
        Assert.Equal(5, frame.DataNumber("seq"));
        Assert.Equal(77, frame.DataNumber("sent"));
    }
}
