using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// A frame as it arrived: its <c>type</c>, the parsed root and the <see cref="System.Diagnostics.Stopwatch"/> timestamp
/// taken when its last byte was read. <see cref="Root"/> is valid only until the handler's task completes.
/// </summary>
internal readonly record struct ReceivedFrame(string Type, JsonElement Root, long ReceivedAt)
{
    public string? FromPeerId => Root.TryGetProperty("fromPeerId", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary><c>data.peerId</c>, as in <c>peer-discovered</c>.</summary>
    public string? DataPeerId =>
        Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty("peerId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>A numeric field of <c>data</c>, or -1 when missing.</summary>
    public long DataNumber(string name) =>
        Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : -1;
}
