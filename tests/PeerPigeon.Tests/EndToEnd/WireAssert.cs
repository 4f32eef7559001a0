using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>Exact-shape assertions for server frames (PROTOCOL.md): field sets, values and types.</summary>
public static class WireAssert
{
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The object has exactly these fields (in any order).</summary>
    public static void Fields(JsonElement element, params string[] expected)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        var actual = element.EnumerateObject().Select(property => property.Name).ToList();
        if (actual.Count != expected.Length || !expected.All(actual.Contains))
        {
            Assert.Fail($"Expected exactly the fields [{string.Join(", ", expected)}], but got [{string.Join(", ", actual)}] in {element.GetRawText()}");
        }
    }

    /// <summary>The field is the string <paramref name="expected"/>.</summary>
    public static void Str(JsonElement element, string field, string expected)
    {
        var value = Field(element, field);
        Assert.True(value.ValueKind == JsonValueKind.String, $"Expected '{field}' to be a string in {element.GetRawText()}");
        Assert.Equal(expected, value.GetString());
    }

    /// <summary>The field is a boolean with value <paramref name="expected"/>.</summary>
    public static void Bool(JsonElement element, string field, bool expected)
    {
        var value = Field(element, field);
        Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"Expected '{field}' to be a boolean in {element.GetRawText()}");
        Assert.Equal(expected, value.GetBoolean());
    }

    /// <summary>The field is a string and returns it.</summary>
    public static string AnyString(JsonElement element, string field)
    {
        var value = Field(element, field);
        Assert.True(value.ValueKind == JsonValueKind.String, $"Expected '{field}' to be a string in {element.GetRawText()}");
        return value.GetString()!;
    }

    /// <summary>The field is a JSON number and returns it.</summary>
    public static double Number(JsonElement element, string field)
    {
        var value = Field(element, field);
        Assert.True(value.ValueKind == JsonValueKind.Number, $"Expected '{field}' to be a number in {element.GetRawText()}");
        return value.GetDouble();
    }

    /// <summary>The field is a whole JSON number (no fraction, no exponent) and returns it.</summary>
    public static long WholeNumber(JsonElement element, string field)
    {
        var value = Field(element, field);
        Assert.True(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            $"Expected '{field}' to be an integer in {element.GetRawText()}");
        return value.GetInt64();
    }

    /// <summary>The field is epoch milliseconds (an integer) close to now.</summary>
    public static long Timestamp(JsonElement element, string field = "timestamp")
    {
        var value = WholeNumber(element, field);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(value);
        Assert.True((time - DateTimeOffset.UtcNow).Duration() < ClockTolerance, $"Expected '{field}' to be epoch milliseconds near now, got {value}");
        return value;
    }

    /// <summary>The field is an ISO 8601 UTC date-time string close to now.</summary>
    public static DateTimeOffset IsoTimestamp(JsonElement element, string field = "timestamp")
    {
        var text = AnyString(element, field);
        Assert.True(DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var time),
            $"Expected '{field}' to be an ISO 8601 date-time, got '{text}'");
        Assert.True(text.EndsWith('Z'), $"Expected '{field}' to be UTC ('Z'), got '{text}'");
        Assert.True((time - DateTimeOffset.UtcNow).Duration() < ClockTolerance, $"Expected '{field}' near now, got '{text}'");
        return time;
    }

    /// <summary>The field is a 40-hex peer id and returns it.</summary>
    public static string PeerIdField(JsonElement element, string field)
    {
        var value = AnyString(element, field);
        Assert.Matches("^[a-fA-F0-9]{40}$", value);
        return value;
    }

    /// <summary>The exact envelope of a <c>peer-discovered</c> about <paramref name="about"/> to <paramref name="recipient"/> (its data's other fields are the announce data).</summary>
    public static void PeerDiscovered(JsonElement message, string about, bool isHub, string network, string recipient)
    {
        Fields(message, "type", "data", "networkName", "fromPeerId", "targetPeerId", "timestamp");
        Str(message, "type", "peer-discovered");
        Str(message.GetProperty("data"), "peerId", about);
        Bool(message.GetProperty("data"), "isHub", isHub);
        Str(message, "networkName", network);
        Str(message, "fromPeerId", "system");
        Str(message, "targetPeerId", recipient);
        Timestamp(message);
    }

    /// <summary>The exact shape of a <c>peer-disconnected</c> about <paramref name="about"/> (a non-hub unless said) to <paramref name="recipient"/>.</summary>
    public static void PeerDisconnected(JsonElement message, string about, string network, string recipient, bool isHub = false)
    {
        Fields(message, "type", "data", "networkName", "fromPeerId", "targetPeerId", "timestamp");
        Str(message, "type", "peer-disconnected");
        Fields(message.GetProperty("data"), "peerId", "isHub", "reason");
        Str(message.GetProperty("data"), "peerId", about);
        Bool(message.GetProperty("data"), "isHub", isHub);
        AnyString(message.GetProperty("data"), "reason");
        Str(message, "networkName", network);
        Str(message, "fromPeerId", "system");
        Str(message, "targetPeerId", recipient);
        Timestamp(message);
    }

    /// <summary>The field's value equals <paramref name="expectedJson"/> as JSON (same structure and values).</summary>
    public static void JsonEquals(string expectedJson, JsonElement actual)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual), $"Expected {expectedJson}, got {actual.GetRawText()}");
    }

    public static JsonElement Field(JsonElement element, string field)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        if (!element.TryGetProperty(field, out var value))
        {
            Assert.Fail($"Expected a field '{field}' in {element.GetRawText()}");
        }

        return value;
    }
}
