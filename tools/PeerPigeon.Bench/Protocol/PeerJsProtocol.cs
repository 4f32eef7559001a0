using System.Security.Cryptography;
using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// The PeerJS server's protocol (npm <c>peer</c> 1.0.2): <c>&lt;path&gt;peerjs?key=&amp;id=&amp;token=</c>, <c>OPEN</c>
/// first, no networks or discovery; <c>OFFER</c>/<c>ANSWER</c>/<c>CANDIDATE</c> go to <c>dst</c> and arrive with
/// <c>src</c> added and the <c>payload</c> as sent; a client that sends no <c>HEARTBEAT</c> for the server's
/// alive_timeout (90 s by default) is closed. A frame for an id that is not connected waits there for expire_timeout
/// (5 s), then its sender gets <c>EXPIRE</c>.
/// </summary>
internal sealed class PeerJsProtocol : IWireProtocol
{
    /// <summary>The server's default <c>key</c>, the one <c>bench/servers/peerjs.mjs</c> uses.</summary>
    public const string Key = "peerjs";

    public static PeerJsProtocol Instance { get; } = new();

    private PeerJsProtocol()
    {
    }

    public string Name => "peerjs";

    public bool HasDiscovery => false;

    public string OpenFrameType => "OPEN";

    /// <summary>The PeerJS client's own heartbeat (its default <c>pingInterval</c>).</summary>
    public TimeSpan? HeartbeatInterval => TimeSpan.FromSeconds(5);

    public string SourceField => "src";

    public string PayloadField => "payload";

    /// <summary>
    /// The server listens on <c>&lt;its path&gt;peerjs</c>: <c>/peerjs</c> for path '/', so <c>ws://host:port</c> and
    /// <c>ws://host:port/</c> both give <c>ws://host:port/peerjs?…</c>. The token is random per socket, as the client's.
    /// </summary>
    public Uri ConnectUri(Uri server, string peerId)
    {
        var path = server.AbsolutePath.EndsWith('/') ? server.AbsolutePath : server.AbsolutePath + "/";
        var token = RandomNumberGenerator.GetHexString(16, lowercase: true);
        return new UriBuilder(server) { Path = path + "peerjs", Query = $"key={Key}&id={peerId}&token={token}" }.Uri;
    }

    public byte[] Heartbeat() => Frames.Write(w => w.WriteString("type", "HEARTBEAT"));

    public byte[] Signal(FrameKind kind, string target, string network, long seq, long sentAt, string sdp)
    {
        var (type, sdpType) = kind switch
        {
            FrameKind.Offer => ("OFFER", "offer"),
            FrameKind.Answer => ("ANSWER", "answer"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only offers and answers are signals."),
        };
        return Frames.Write(w =>
        {
            w.WriteString("type", type);
            w.WriteString("dst", target);
            Frames.WriteSignalPayload(w, "payload", sdpType, sdp, seq, sentAt);
        });
    }

    public byte[] IceCandidate(string target, string network, long seq, long sentAt) => Frames.Write(w =>
    {
        w.WriteString("type", "CANDIDATE");
        w.WriteString("dst", target);
        Frames.WriteIcePayload(w, "payload", seq, sentAt);
    });

    public FrameKind Classify(string type) => type switch
    {
        "OPEN" => FrameKind.Open,
        "OFFER" => FrameKind.Offer,
        "ANSWER" => FrameKind.Answer,
        "CANDIDATE" => FrameKind.IceCandidate,
        "ERROR" or "ID-TAKEN" or "EXPIRE" or "LEAVE" => FrameKind.Error,
        _ => FrameKind.Other,
    };

    public string ErrorText(string type, JsonElement root)
    {
        var source = root.TryGetProperty("src", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return type switch
        {
            "EXPIRE" => $"EXPIRE: a frame to {source} was not delivered (not connected for expire_timeout)",
            "LEAVE" => $"LEAVE: {source} is gone",
            _ => root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("msg", out var m)
                ? $"{type}: {m}" : $"{type} (no message)",
        };
    }
}
