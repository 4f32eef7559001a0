using System.Text.Json;

namespace PeerPigeon.Gateway.Protocol;

/// <summary>
/// Splits an announce <c>data</c> object into what discovery shows: the server sets <c>peerId</c> and <c>isHub</c>
/// after the client's own members (PROTOCOL.md §2), so a client cannot advertise someone else's id.
/// </summary>
internal static class AnnounceData
{
    /// <summary>
    /// Returns the object's members other than <c>peerId</c> and <c>isHub</c>, as raw JSON without braces, and
    /// whether the object said <c>"isHub": true</c>.
    /// </summary>
    public static (byte[] Members, bool ClaimsHub) Split(ReadOnlyMemory<byte>? data)
    {
        if (data is not { Length: > 0 } json)
        {
            return ([], false);
        }

        var span = json.Span;
        var reader = new Utf8JsonReader(span);
        reader.Read();
        var kept = new List<Range>();
        var claimsHub = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var isPeerId = reader.ValueTextEquals("peerId"u8);
            var isHub = reader.ValueTextEquals("isHub"u8);
            reader.Read();
            if (isHub)
            {
                // Last one wins, as in JavaScript.
                claimsHub = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
            if (!isPeerId && !isHub)
            {
                kept.Add(start..(int)reader.BytesConsumed);
            }
        }

        var buffer = new List<byte>(span.Length);
        foreach (var range in kept)
        {
            if (buffer.Count > 0)
            {
                buffer.Add((byte)',');
            }

            buffer.AddRange(span[range]);
        }

        return ([.. buffer], claimsHub);
    }
}
