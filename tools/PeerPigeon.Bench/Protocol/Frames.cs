using System.Buffers;
using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>UTF-8 JSON frames the bench sends, written with <see cref="Utf8JsonWriter"/> (no reflection).</summary>
internal static class Frames
{
    private const string IceCandidateLine =
        "candidate:1 1 udp 2122260223 192.168.1.23 54321 typ host generation 0";

    public static byte[] Announce(string network) => Write(w =>
    {
        w.WriteString("type", "announce");
        w.WriteStartObject("data");
        w.WriteBoolean("bench", true);
        w.WriteEndObject();
        w.WriteString("networkName", network);
    });

    public static byte[] Goodbye(string network) => Write(w =>
    {
        w.WriteString("type", "goodbye");
        w.WriteStartObject("data");
        w.WriteString("reason", "bench");
        w.WriteEndObject();
        w.WriteString("networkName", network);
    });

    public static byte[] Ping() => Write(w => w.WriteString("type", "ping"));

    /// <summary>
    /// A relayed signaling frame (offer, answer, ice-candidate) whose data carries an SDP-like padding of
    /// <paramref name="sdp"/>, a sequence number and a send timestamp (Stopwatch ticks of this process).
    /// </summary>
    public static byte[] Signal(string type, string target, string network, long seq, long sentAt, string sdp) => Write(w =>
    {
        w.WriteString("type", type);
        WriteSignalPayload(w, "data", type, sdp, seq, sentAt);
        w.WriteString("networkName", network);
        w.WriteString("targetPeerId", target);
    });

    /// <summary>
    /// An <c>ice-candidate</c> frame as browsers send them (a host candidate line, sdpMid, sdpMLineIndex), with the number
    /// <paramref name="seq"/> and the send timestamp; about 250 bytes with the bench's network names and peer ids.
    /// </summary>
    public static byte[] IceCandidate(string target, string network, long seq, long sentAt) => Write(w =>
    {
        w.WriteString("type", "ice-candidate");
        WriteIcePayload(w, "data", seq, sentAt);
        w.WriteString("networkName", network);
        w.WriteString("targetPeerId", target);
    });

    /// <summary>
    /// The object every wire format carries in an offer or answer: the SDP type, the padding, the sequence number and
    /// the send timestamp, as property <paramref name="name"/> (<c>data</c> here, <c>payload</c> for PeerJS).
    /// </summary>
    internal static void WriteSignalPayload(Utf8JsonWriter w, string name, string sdpType, string sdp, long seq, long sentAt)
    {
        w.WriteStartObject(name);
        w.WriteString("type", sdpType);
        w.WriteString("sdp", sdp);
        w.WriteNumber("seq", seq);
        w.WriteNumber("sent", sentAt);
        w.WriteEndObject();
    }

    /// <summary>The object every wire format carries in an ICE candidate, numbered and stamped, as property <paramref name="name"/>.</summary>
    internal static void WriteIcePayload(Utf8JsonWriter w, string name, long seq, long sentAt)
    {
        w.WriteStartObject(name);
        w.WriteString("candidate", IceCandidateLine);
        w.WriteString("sdpMid", "0");
        w.WriteNumber("sdpMLineIndex", 0);
        w.WriteNumber("seq", seq);
        w.WriteNumber("sent", sentAt);
        w.WriteEndObject();
    }

    /// <summary>Padding of exactly <paramref name="size"/> ASCII bytes that JSON writes unescaped.</summary>
    public static string Sdp(int size)
    {
        const string head = "v=0 o=- bench IN IP4 127.0.0.1 s=- ";
        return size <= head.Length ? head[..size] : head + new string('a', size - head.Length);
    }

    /// <summary>One JSON object whose members <paramref name="body"/> writes, as UTF-8.</summary>
    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
