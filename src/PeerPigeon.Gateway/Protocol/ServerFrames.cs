using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Protocol;

/// <summary>
/// Writes every frame the server sends, in upstream key order (PROTOCOL.md). Each method returns the UTF-8 bytes of
/// one text frame. Client <c>data</c> is copied in raw, never re-serialized.
/// </summary>
internal static class ServerFrames
{
    private const string System = "system";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep text as JSON.stringify would (no \u003C for '<', no escaping of non-ASCII).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Connected(PeerId peer, long timestamp) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.Connected);
        writer.WriteStartObject("data"u8);
        writer.WriteString("peerId"u8, peer.Value);
        writer.WriteEndObject();
        writer.WriteString("fromPeerId"u8, System);
        writer.WriteNumber("timestamp"u8, timestamp);
    });

    public static byte[] PeerDiscovered(string network, DiscoveredPeer peer, PeerId recipient, long timestamp)
    {
        // data = {"peerId":…,"isHub":…, <the peer's other announce members>}: the server's fields cannot be spoofed.
        var length = peer.PeerId.Value.Length + peer.Data.Length + 32;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var data = new SpanWriter(rented);
            data.Write("{\"peerId\":\""u8);
            data.WriteAscii(peer.PeerId.Value);
            data.Write(peer.IsHub ? "\",\"isHub\":true"u8 : "\",\"isHub\":false"u8);
            if (peer.Data.Length > 0)
            {
                data.Write(","u8);
                data.Write(peer.Data);
            }

            data.Write("}"u8);
            return WriteWithRaw(MessageTypes.PeerDiscovered, rented.AsSpan(0, data.Position), writer =>
            {
                writer.WriteString("networkName"u8, network);
                writer.WriteString("fromPeerId"u8, System);
                writer.WriteString("targetPeerId"u8, recipient.Value);
                writer.WriteNumber("timestamp"u8, timestamp);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static byte[] PeerDisconnected(string network, PeerId peer, bool isHub, string reason, PeerId recipient, long timestamp) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.PeerDisconnected);
        writer.WriteStartObject("data"u8);
        writer.WriteString("peerId"u8, peer.Value);
        writer.WriteBoolean("isHub"u8, isHub);
        writer.WriteString("reason"u8, reason);
        writer.WriteEndObject();
        writer.WriteString("networkName"u8, network);
        writer.WriteString("fromPeerId"u8, System);
        writer.WriteString("targetPeerId"u8, recipient.Value);
        writer.WriteNumber("timestamp"u8, timestamp);
    });

    public static byte[] Relay(string type, ReadOnlySpan<byte> data, PeerId from, PeerId target, string network, long timestamp) =>
        WriteWithRaw(type, data, writer =>
        {
            writer.WriteString("fromPeerId"u8, from.Value);
            writer.WriteString("targetPeerId"u8, target.Value);
            writer.WriteString("networkName"u8, network);
            writer.WriteNumber("timestamp"u8, timestamp);
        });

    public static byte[] Relay(RelayPush push) => Relay(push.Type, push.Data, push.From, push.Target, push.Network, push.Timestamp);

    public static byte[] Goodbye(GoodbyePush push) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.Goodbye);
        if (push.Data is { } data)
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data, skipInputValidation: true);
        }

        writer.WriteString("fromPeerId"u8, push.From.Value);
        writer.WriteString("networkName"u8, push.Network);
        writer.WriteNumber("timestamp"u8, push.Timestamp);
    });

    public static byte[] Pong(PeerId recipient, string network, long timestamp) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.Pong);
        writer.WriteStartObject("data"u8);
        writer.WriteNumber("timestamp"u8, timestamp);
        writer.WriteEndObject();
        writer.WriteString("fromPeerId"u8, System);
        writer.WriteString("targetPeerId"u8, recipient.Value);
        writer.WriteString("networkName"u8, network);
        writer.WriteNumber("timestamp"u8, timestamp);
    });

    /// <summary>An error about the frame itself (unsupported type, invalid JSON, a bad field).</summary>
    public static byte[] Error(string error, string network, long timestamp) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.Error);
        writer.WriteString("error"u8, error);
        writer.WriteString("networkName"u8, network);
        writer.WriteNumber("timestamp"u8, timestamp);
    });

    /// <summary>An error about a message that could not be delivered to <paramref name="target"/>.</summary>
    public static byte[] Undelivered(string error, PeerId? target, string messageType, string network, long timestamp) => Write(writer =>
    {
        writer.WriteString("type"u8, MessageTypes.Error);
        writer.WriteString("error"u8, error);
        writer.WriteStartObject("data"u8);
        if (target is { } id)
        {
            writer.WriteString("targetPeerId"u8, id.Value);
        }

        writer.WriteString("type"u8, messageType);
        writer.WriteEndObject();
        writer.WriteString("networkName"u8, network);
        writer.WriteString("fromPeerId"u8, System);
        writer.WriteNumber("timestamp"u8, timestamp);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = Rent();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>{"type":…,"data":&lt;raw&gt;, …rest}</c>.</summary>
    private static byte[] WriteWithRaw(string type, ReadOnlySpan<byte> rawData, Action<Utf8JsonWriter> rest)
    {
        var buffer = Rent();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(rawData, skipInputValidation: true);
        rest(writer);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static ArrayBufferWriter<byte> Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        return buffer;
    }

    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Position..]);
            Position += bytes.Length;
        }

        public void WriteAscii(string text) => Position += global::System.Text.Encoding.ASCII.GetBytes(text, _destination[Position..]);
    }
}
