using System.Text.Json;
using PeerPigeon.Networks;

namespace PeerPigeon.Gateway.Protocol;

/// <summary>
/// The envelope of a client frame: <c>{type, data, networkName, targetPeerId, …}</c>. <see cref="Data"/> is a slice of
/// the received bytes, relayed as is; other fields are ignored. Parsed with <see cref="Utf8JsonReader"/> rather than a
/// serializer so that <c>data</c> never goes through an object model. A frame must be a JSON object with a string
/// <c>type</c>; a problem with another field is recorded and reported only by messages that use that field (so any
/// <c>ping</c> still gets its <c>pong</c>).
/// </summary>
internal readonly record struct ClientMessage(
    string Type,
    PeerId? TargetPeerId,
    string? NetworkName,
    ReadOnlyMemory<byte>? Data,
    string? TargetError,
    string? NetworkError,
    string? DataError)
{
    /// <summary>
    /// Parses one frame. On failure (not JSON, not an object, no string <c>type</c>) returns false and an error text
    /// for the <c>error</c> reply.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> frame, ProtocolLimits limits, out ClientMessage message, out string error)
    {
        message = default;
        string? type = null;
        string? typeError = null;
        string? target = null;
        string? targetError = null;
        string? network = null;
        string? networkError = null;
        string? dataError = null;
        ReadOnlyMemory<byte>? data = null;
        try
        {
            var reader = new Utf8JsonReader(frame.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "Invalid message: expected a JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueSpan;
                reader.Read();
                if (field.SequenceEqual("type"u8))
                {
                    typeError = TryReadString(ref reader, out type) && type is not null ? null : "Invalid field 'type': expected a string";
                }
                else if (field.SequenceEqual("targetPeerId"u8))
                {
                    targetError = TryReadString(ref reader, out target) ? null : "Invalid field 'targetPeerId': expected a string";
                }
                else if (field.SequenceEqual("networkName"u8))
                {
                    networkError = TryReadString(ref reader, out network) ? null : "Invalid field 'networkName': expected a string";
                }
                else if (field.SequenceEqual("data"u8))
                {
                    var start = (int)reader.TokenStartIndex;
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    var isNull = reader.TokenType == JsonTokenType.Null;
                    reader.Skip();
                    // Typed null: a bare null here would convert through byte[] into an empty, non-null slice.
                    data = isObject ? frame[start..(int)reader.BytesConsumed] : (ReadOnlyMemory<byte>?)null;
                    dataError = isObject || isNull ? null : "Invalid field 'data': expected an object";
                }
                else
                {
                    reader.Skip();
                }
            }

            // Reject trailing content after the object ("{}x").
            if (reader.Read())
            {
                error = "Invalid JSON";
                return false;
            }
        }
        catch (JsonException)
        {
            error = "Invalid JSON";
            return false;
        }

        if (typeError is not null || type is null)
        {
            error = typeError ?? "Invalid message: missing field 'type'";
            return false;
        }

        PeerId? targetId = null;
        if (targetError is null && !string.IsNullOrEmpty(target))
        {
            if (PeerId.TryParse(target, out var parsed))
            {
                targetId = parsed;
            }
            else
            {
                targetError = "Invalid field 'targetPeerId': expected 40 hexadecimal characters";
            }
        }

        if (networkError is null && network is { Length: > 0 } && network.Length > limits.MaxNetworkNameLength)
        {
            networkError = $"Invalid field 'networkName': longer than {limits.MaxNetworkNameLength} characters";
        }

        message = new ClientMessage(type, targetId, string.IsNullOrEmpty(network) ? null : network, data, targetError, networkError, dataError);
        error = string.Empty;
        return true;
    }

    /// <summary>The network an announce joins: its <c>networkName</c>, or <c>global</c>.</summary>
    public string AnnouncedNetwork => NetworkName ?? NetworkNames.Global;

    private static bool TryReadString(ref Utf8JsonReader reader, out string? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default:
                reader.Skip();
                value = null;
                return false;
        }
    }
}
