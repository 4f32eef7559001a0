using System.Text;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.Protocol;

/// <summary>Pins the exact bytes of every server frame (PROTOCOL.md key order).</summary>
public sealed class ServerFramesTests
{
    private static readonly PeerId A = PeerId.Parse("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");
    private static readonly PeerId B = PeerId.Parse("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2");

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    [Fact]
    public void Connected() => Assert.Equal(
        "{\"type\":\"connected\",\"data\":{\"peerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\"},\"fromPeerId\":\"system\",\"timestamp\":7}",
        Text(ServerFrames.Connected(A, 7)));

    [Fact]
    public void Peer_discovered_sets_the_server_fields_before_the_announce_members() => Assert.Equal(
        "{\"type\":\"peer-discovered\",\"data\":{\"peerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"isHub\":true,\"nick\":\"<b>\"},\"networkName\":\"room\",\"fromPeerId\":\"system\",\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"timestamp\":7}",
        Text(ServerFrames.PeerDiscovered("room", new DiscoveredPeer(B, true, Encoding.UTF8.GetBytes("\"nick\":\"<b>\"")), A, 7)));

    [Fact]
    public void Peer_discovered_without_announce_members() => Assert.Equal(
        "{\"type\":\"peer-discovered\",\"data\":{\"peerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"isHub\":false},\"networkName\":\"global\",\"fromPeerId\":\"system\",\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"timestamp\":7}",
        Text(ServerFrames.PeerDiscovered("global", new DiscoveredPeer(B, false, []), A, 7)));

    [Fact]
    public void Peer_disconnected() => Assert.Equal(
        "{\"type\":\"peer-disconnected\",\"data\":{\"peerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"isHub\":false,\"reason\":\"Client disconnect\"},\"networkName\":\"room\",\"fromPeerId\":\"system\",\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"timestamp\":7}",
        Text(ServerFrames.PeerDisconnected("room", B, false, "Client disconnect", A, 7)));

    [Fact]
    public void Relay_copies_data_byte_for_byte() => Assert.Equal(
        "{\"type\":\"offer\",\"data\":{ \"sdp\" : \"v=0\\r\\n\\u00e9\" },\"fromPeerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"networkName\":\"global\",\"timestamp\":7}",
        Text(ServerFrames.Relay("offer", Encoding.UTF8.GetBytes("{ \"sdp\" : \"v=0\\r\\n\\u00e9\" }"), B, A, "global", 7)));

    [Fact]
    public void Goodbye_with_and_without_data()
    {
        Assert.Equal(
            "{\"type\":\"goodbye\",\"data\":{\"peerId\":\"x\"},\"fromPeerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"networkName\":\"room\",\"timestamp\":7}",
            Text(ServerFrames.Goodbye(new GoodbyePush("room", B, Encoding.UTF8.GetBytes("{\"peerId\":\"x\"}"), 7, [A]))));
        Assert.Equal(
            "{\"type\":\"goodbye\",\"fromPeerId\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\",\"networkName\":\"room\",\"timestamp\":7}",
            Text(ServerFrames.Goodbye(new GoodbyePush("room", B, null, 7, [A]))));
    }

    [Fact]
    public void Pong() => Assert.Equal(
        "{\"type\":\"pong\",\"data\":{\"timestamp\":7},\"fromPeerId\":\"system\",\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"networkName\":\"room\",\"timestamp\":7}",
        Text(ServerFrames.Pong(A, "room", 7)));

    [Fact]
    public void Error_keeps_non_ascii_and_markup_unescaped() => Assert.Equal(
        "{\"type\":\"error\",\"error\":\"Unsupported message type 'é<x>'\",\"networkName\":\"global\",\"timestamp\":7}",
        Text(ServerFrames.Error("Unsupported message type 'é<x>'", "global", 7)));

    [Fact]
    public void Undelivered() => Assert.Equal(
        "{\"type\":\"error\",\"error\":\"Peer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1 is not connected\",\"data\":{\"targetPeerId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\",\"type\":\"offer\"},\"networkName\":\"room\",\"fromPeerId\":\"system\",\"timestamp\":7}",
        Text(ServerFrames.Undelivered("Peer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1 is not connected", A, "offer", "room", 7)));
}
