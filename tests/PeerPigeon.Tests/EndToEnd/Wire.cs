using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>Client frames as the official client writes them, and matchers for server frames.</summary>
public static class Wire
{
    /// <summary><c>{"type":"announce","data":{"peerId":…,…extra},"maxPeers":3,"networkName":…}</c>.</summary>
    public static string Announce(string peerId, string network, string? extraData = null) =>
        $$"""{"type":"announce","data":{"peerId":"{{peerId}}"{{(extraData is null ? string.Empty : "," + extraData)}}},"maxPeers":3,"networkName":{{Quote(network)}}}""";

    /// <summary>A targeted message as the client sends it; without <paramref name="network"/> the field is omitted.</summary>
    public static string Signal(string type, string targetPeerId, string data, string? network = null) =>
        network is null
            ? $$"""{"type":{{Quote(type)}},"data":{{data}},"maxPeers":3,"targetPeerId":"{{targetPeerId}}"}"""
            : $$"""{"type":{{Quote(type)}},"data":{{data}},"maxPeers":3,"networkName":{{Quote(network)}},"targetPeerId":"{{targetPeerId}}"}""";

    /// <summary>
    /// The client's goodbye: the page-unload shape <c>{type, data}</c>, or with <paramref name="network"/> the
    /// <c>{type, data, maxPeers, networkName}</c> shape of an orderly disconnect.
    /// </summary>
    public static string GoodbyeMessage(string peerId, string? network = null)
    {
        var data = "{\"peerId\":\"" + peerId + "\",\"timestamp\":1,\"reason\":\"peer_disconnect\"}";
        return network is null
            ? "{\"type\":\"goodbye\",\"data\":" + data + "}"
            : "{\"type\":\"goodbye\",\"data\":" + data + ",\"maxPeers\":3,\"networkName\":" + Quote(network) + "}";
    }

    /// <summary>A JSON string literal.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);

    public static Func<JsonElement, bool> IsType(string type) =>
        message => message.ValueKind == JsonValueKind.Object && Str(message, "type") == type;

    /// <summary>A <c>peer-discovered</c> about <paramref name="peerId"/>.</summary>
    public static Func<JsonElement, bool> Discovered(string peerId) =>
        message => IsType("peer-discovered")(message) && DataPeerId(message) == peerId;

    /// <summary>A <c>peer-disconnected</c> about <paramref name="peerId"/>.</summary>
    public static Func<JsonElement, bool> Disconnected(string peerId) =>
        message => IsType("peer-disconnected")(message) && DataPeerId(message) == peerId;

    /// <summary>A relayed <paramref name="type"/> sent by <paramref name="fromPeerId"/>.</summary>
    public static Func<JsonElement, bool> Relayed(string type, string fromPeerId) =>
        message => IsType(type)(message) && Str(message, "fromPeerId") == fromPeerId;

    /// <summary>A <c>goodbye</c> from <paramref name="fromPeerId"/>.</summary>
    public static Func<JsonElement, bool> Goodbye(string fromPeerId) => Relayed("goodbye", fromPeerId);

    /// <summary>An <c>error</c> whose text contains <paramref name="text"/> (any error without it).</summary>
    public static Func<JsonElement, bool> Error(string? text = null) =>
        message => IsType("error")(message) && (text is null || (Str(message, "error")?.Contains(text, StringComparison.Ordinal) ?? false));

    /// <summary>Any frame that concerns <paramref name="peerId"/>: from it, or with it as <c>data.peerId</c>.</summary>
    public static Func<JsonElement, bool> About(string peerId) =>
        message => message.ValueKind == JsonValueKind.Object && (Str(message, "fromPeerId") == peerId || DataPeerId(message) == peerId);

    /// <summary>Any frame that concerns one of <paramref name="peerIds"/>.</summary>
    public static Func<JsonElement, bool> AboutAny(params string[] peerIds) =>
        message => peerIds.Any(id => About(id)(message));

    /// <summary>The string value of a top-level field, or null.</summary>
    public static string? Str(JsonElement message, string field) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? DataPeerId(JsonElement message) =>
        message.TryGetProperty("data", out var data) ? Str(data, "peerId") : null;
}
