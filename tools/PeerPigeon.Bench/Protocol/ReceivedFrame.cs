using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// A frame as it arrived: its wire <c>type</c>, the parsed root and the <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp taken when its last byte was read, read through the socket's <see cref="IWireProtocol"/> (PeerPigeon when
/// none is given). <see cref="Root"/> is valid only until the handler's task completes.
/// </summary>
internal readonly record struct ReceivedFrame(string Type, JsonElement Root, long ReceivedAt, IWireProtocol? Wire = null)
{
    private IWireProtocol Protocol => Wire ?? PeerPigeonProtocol.Instance;

    /// <summary>What the frame means, whatever the protocol calls it.</summary>
    public FrameKind Kind => Protocol.Classify(Type);

    /// <summary>The sender of a relayed frame (<c>fromPeerId</c>, PeerJS <c>src</c>).</summary>
    public string? FromPeerId =>
        Root.TryGetProperty(Protocol.SourceField, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary><c>data.peerId</c>, as in <c>peer-discovered</c>.</summary>
    public string? DataPeerId =>
        Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty("peerId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>The text of an error frame.</summary>
    public string ErrorText => Protocol.ErrorText(Type, Root);

    /// <summary>A numeric field of the payload (<c>data</c>, PeerJS <c>payload</c>), or -1 when missing.</summary>
    public long DataNumber(string name) =>
        Root.TryGetProperty(Protocol.PayloadField, out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : -1;
}
