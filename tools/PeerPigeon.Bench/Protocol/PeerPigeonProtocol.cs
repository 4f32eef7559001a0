using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// The PeerPigeon 1.1.3 protocol (this server, upstream <c>peerpigeon</c>): <c>?peerId=</c>, <c>connected</c> first,
/// announce into networks, relay by <c>targetPeerId</c> with <c>fromPeerId</c> added; the payload is <c>data</c>.
/// </summary>
internal sealed class PeerPigeonProtocol : IWireProtocol
{
    public static PeerPigeonProtocol Instance { get; } = new();

    private PeerPigeonProtocol()
    {
    }

    public string Name => "peerpigeon";

    public bool HasDiscovery => true;

    public string OpenFrameType => "connected";

    public TimeSpan? HeartbeatInterval => null;

    public string SourceField => "fromPeerId";

    public string PayloadField => "data";

    public Uri ConnectUri(Uri server, string peerId) => new UriBuilder(server) { Query = "peerId=" + peerId }.Uri;

    public byte[] Heartbeat() => Frames.Ping();

    public byte[] Signal(FrameKind kind, string target, string network, long seq, long sentAt, string sdp) =>
        Frames.Signal(kind switch
        {
            FrameKind.Offer => "offer",
            FrameKind.Answer => "answer",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only offers and answers are signals."),
        }, target, network, seq, sentAt, sdp);

    public byte[] IceCandidate(string target, string network, long seq, long sentAt) =>
        Frames.IceCandidate(target, network, seq, sentAt);

    public FrameKind Classify(string type) => type switch
    {
        "connected" => FrameKind.Open,
        "peer-discovered" => FrameKind.Discovered,
        "offer" => FrameKind.Offer,
        "answer" => FrameKind.Answer,
        "ice-candidate" => FrameKind.IceCandidate,
        "error" => FrameKind.Error,
        _ => FrameKind.Other,
    };

    public string ErrorText(string type, JsonElement root) =>
        root.TryGetProperty("error", out var e) ? e.ToString() : $"{type} (no error text)";
}
