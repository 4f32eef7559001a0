using System.Text.Json;
using PeerPigeon.Networks;

namespace PeerPigeon.Gateway.Protocol;

/// <summary>
/// The envelope of a client frame: <c>{type, data, networkName, targetPeerId, …}</c>. <see cref="Data"/> is a slice of
/// the received bytes, relayed as is; other fields are ignored. Parsed with <see cref="Utf8JsonReader"/> rather than a
/// serializer so that <c>data</c> never goes through an object model.
/// </summary>
internal readonly record struct ClientMessage(string Type, PeerId? TargetPeerId, string? NetworkName, ReadOnlyMemory<byte>? Data)
{
    /// <summary>
    /// Parses and validates one frame. On failure returns false and an error text for the <c>error</c> reply.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> frame, ProtocolLimits limits, out ClientMessage message, out string error)
    {
        message = default;
        string? type = null;
        string? target = null;
        string? network = null;
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
                    if (!TryReadString(ref reader, out type) || type is null)
                    {
                        error = "Invalid field 'type': expected a string";
                        return false;
                    }
                }
                else if (field.SequenceEqual("targetPeerId"u8))
                {
                    if (!TryReadString(ref reader, out target))
                    {
                        error = "Invalid field 'targetPeerId': expected a string";
                        return false;
                    }
                }
                else if (field.SequenceEqual("networkName"u8))
                {
                    if (!TryReadString(ref reader, out network))
                    {
                        error = "Invalid field 'networkName': expected a string";
                        return false;
                    }
                }
                else if (field.SequenceEqual("data"u8))
                {
                    var start = (int)reader.TokenStartIndex;
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        data = null;
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        error = "Invalid field 'data': expected an object";
                        return false;
                    }

                    reader.Skip();
                    data = frame[start..(int)reader.BytesConsumed];
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

        if (type is null)
        {
            error = "Invalid message: missing field 'type'";
            return false;
        }

        PeerId? targetId = null;
        if (!string.IsNullOrEmpty(target))
        {
            if (!PeerId.TryParse(target, out var parsed))
            {
                error = "Invalid field 'targetPeerId': expected 40 hexadecimal characters";
                return false;
            }

            targetId = parsed;
        }

        if (network is { Length: > 0 } && network.Length > limits.MaxNetworkNameLength)
        {
            error = $"Invalid field 'networkName': longer than {limits.MaxNetworkNameLength} characters";
            return false;
        }

        message = new ClientMessage(type, targetId, string.IsNullOrEmpty(network) ? null : network, data);
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
