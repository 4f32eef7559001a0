using System.Text;
using PeerPigeon.Gateway.Protocol;

namespace PeerPigeon.Tests.Protocol;

public sealed class ClientMessageTests
{
    private static readonly ProtocolLimits Limits = new(MaxNetworkNameLength: 16, MaxAnnounceDataBytes: 1024);
    private const string Target = "0123456789abcdef0123456789abcdef01234567";

    private static (bool Ok, ClientMessage Message, string Error) Parse(string json)
    {
        var ok = ClientMessage.TryParse(Encoding.UTF8.GetBytes(json), Limits, out var message, out var error);
        return (ok, message, error);
    }

    [Fact]
    public void The_official_client_envelope_parses_with_data_kept_as_the_raw_bytes_sent()
    {
        const string data = "{ \"type\" : \"offer\",\"sdp\":\"v=0\\r\\n\\u0041\", \"x\":[1, 2] }";
        var (ok, message, _) = Parse($"{{\"type\":\"offer\",\"data\":{data},\"maxPeers\":3,\"networkName\":\"room\",\"targetPeerId\":\"{Target}\"}}");

        Assert.True(ok);
        Assert.Equal("offer", message.Type);
        Assert.Equal(Target, message.TargetPeerId?.Value);
        Assert.Equal("room", message.NetworkName);
        Assert.Equal(data, Encoding.UTF8.GetString(message.Data!.Value.Span));
    }

    [Theory]
    [InlineData("{\"type\":\"offer\",\"data\":null}")]
    [InlineData("{\"type\":\"offer\"}")]
    public void Null_or_absent_data_is_no_data(string json)
    {
        var (ok, message, _) = Parse(json);

        Assert.True(ok);
        Assert.Null(message.Data);
        Assert.Null(message.DataError);
    }

    [Fact]
    public void Missing_or_empty_network_name_means_global_for_an_announce()
    {
        Assert.Equal("global", Parse("{\"type\":\"announce\"}").Message.AnnouncedNetwork);
        Assert.Equal("global", Parse("{\"type\":\"announce\",\"networkName\":\"\"}").Message.AnnouncedNetwork);
        Assert.Equal("global", Parse("{\"type\":\"announce\",\"networkName\":null}").Message.AnnouncedNetwork);
    }

    [Theory]
    [InlineData("not json", "Invalid JSON")]
    [InlineData("{\"type\":\"ping\"", "Invalid JSON")]
    [InlineData("{\"type\":\"ping\"}x", "Invalid JSON")]
    [InlineData("[1,2]", "Invalid message: expected a JSON object")]
    [InlineData("\"ping\"", "Invalid message: expected a JSON object")]
    [InlineData("5", "Invalid message: expected a JSON object")]
    [InlineData("{\"data\":{}}", "Invalid message: missing field 'type'")]
    [InlineData("{\"type\":5}", "Invalid field 'type': expected a string")]
    [InlineData("{\"type\":null}", "Invalid field 'type': expected a string")]
    public void Frames_that_are_not_an_object_with_a_string_type_are_refused(string json, string expected)
    {
        var (ok, _, error) = Parse(json);
        Assert.False(ok);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("{\"type\":\"offer\",\"targetPeerId\":5}", "Invalid field 'targetPeerId': expected a string", null, null)]
    [InlineData("{\"type\":\"offer\",\"targetPeerId\":\"abc\"}", "Invalid field 'targetPeerId': expected 40 hexadecimal characters", null, null)]
    [InlineData("{\"type\":\"announce\",\"networkName\":{}}", null, "Invalid field 'networkName': expected a string", null)]
    [InlineData("{\"type\":\"announce\",\"networkName\":\"abcdefghijklmnopq\"}", null, "Invalid field 'networkName': longer than 16 characters", null)]
    [InlineData("{\"type\":\"offer\",\"data\":\"x\"}", null, null, "Invalid field 'data': expected an object")]
    [InlineData("{\"type\":\"offer\",\"data\":[1]}", null, null, "Invalid field 'data': expected an object")]
    [InlineData("{\"type\":\"ping\",\"data\":5}", null, null, "Invalid field 'data': expected an object")]
    public void A_bad_field_is_recorded_for_the_messages_that_use_it(string json, string? target, string? network, string? data)
    {
        var (ok, message, _) = Parse(json);
        Assert.True(ok);
        Assert.Equal((target, network, data), (message.TargetError, message.NetworkError, message.DataError));
    }

    [Fact]
    public void Unknown_fields_and_deep_values_are_skipped()
    {
        var (ok, message, _) = Parse("{\"extra\":{\"a\":[{\"b\":[1,2,{\"c\":null}]}]},\"type\":\"ping\",\"fromPeerId\":\"spoof\"}");
        Assert.True(ok);
        Assert.Equal("ping", message.Type);
        Assert.Null(message.Data);
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_invalid_json_not_a_crash()
    {
        var deep = new string('[', 200) + new string(']', 200);
        Assert.Equal("Invalid JSON", Parse($"{{\"type\":\"ping\",\"x\":{deep}}}").Error);
    }
}
