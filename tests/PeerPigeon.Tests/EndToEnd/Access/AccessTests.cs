namespace PeerPigeon.Tests.EndToEnd.Access;

/// <summary>
/// PROTOCOL.md §4 and §6: <c>AUTH_TOKEN</c> (HTTP 401 before the upgrade; Bearer header or <c>?token=</c>) and a
/// <c>CORS_ORIGIN</c> list (HTTP 403 for other origins; <c>Access-Control-Allow-Origin</c> on HTTP responses).
/// </summary>
public abstract class AccessTests(ServerFixture token, ServerFixture origins) : EndToEndTest
{
    private const string AllowedOrigin = "http://localhost:8080";

    private string Token => token.Settings["AUTH_TOKEN"]!;

    [Fact]
    public async Task An_upgrade_without_the_token_gets_401()
    {
        var status = await TestPeer.RefusedStatusAsync(token.Server.WebSocketUri($"/?peerId={Ids.NewPeerId()}"));

        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    [InlineData("prefix")]
    [InlineData("empty")]
    public async Task An_upgrade_with_a_wrong_token_gets_401(string form)
    {
        var id = Ids.NewPeerId();
        var status = form switch
        {
            "header" => await TestPeer.RefusedStatusAsync(token.Server.WebSocketUri($"/?peerId={id}"),
                options => options.SetRequestHeader("Authorization", "Bearer wrong-token")),
            "query" => await TestPeer.RefusedStatusAsync(token.Server.WebSocketUri($"/?peerId={id}&token=wrong-token")),
            "prefix" => await TestPeer.RefusedStatusAsync(token.Server.WebSocketUri($"/?peerId={id}&token={Uri.EscapeDataString(Token[..^1])}")),
            _ => await TestPeer.RefusedStatusAsync(token.Server.WebSocketUri($"/?peerId={id}&token=")),
        };

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task A_Bearer_header_with_the_token_is_accepted()
    {
        var peer = await ConnectAsync(token.Server, configure: options => options.SetRequestHeader("Authorization", $"Bearer {Token}"));

        await peer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_token_query_parameter_is_accepted()
    {
        var id = Ids.NewPeerId();
        var peer = await OpenAsync(token.Server, $"/?token={Uri.EscapeDataString(Token)}&peerId={id}", id);

        await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        await peer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Authorized_peers_signal_normally()
    {
        var network = Ids.NewNetwork();
        var first = await ConnectAsync(token.Server, configure: options => options.SetRequestHeader("Authorization", $"Bearer {Token}"));
        var secondId = Ids.NewPeerId();
        var second = await OpenAsync(token.Server, $"/?peerId={secondId}&token={Uri.EscapeDataString(Token)}", secondId);
        await second.ExpectAsync(Wire.IsType("connected"), "connected");

        await AnnounceAsync(first, network, []);
        await AnnounceAsync(second, network, [first]);

        await AssertRelaysAsync(first, second);
    }

    [Fact]
    public async Task An_upgrade_from_an_unlisted_origin_gets_403()
    {
        var status = await TestPeer.RefusedStatusAsync(origins.Server.WebSocketUri($"/?peerId={Ids.NewPeerId()}"),
            options => options.SetRequestHeader("Origin", "http://evil.example"));

        Assert.Equal(403, status);
    }

    [Theory]
    [InlineData("http://app.example")]
    [InlineData(AllowedOrigin)]
    public async Task An_upgrade_from_a_listed_origin_is_accepted(string origin)
    {
        var peer = await ConnectAsync(origins.Server, configure: options => options.SetRequestHeader("Origin", origin));

        await peer.AssertNothingElseAsync();
    }

    [Fact]
    public async Task HTTP_responses_allow_a_listed_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await origins.Server.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task HTTP_responses_do_not_allow_an_unlisted_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await origins.Server.Http.SendAsync(request);

        Assert.False(response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Contains("http://evil.example"),
            "an unlisted origin must not be allowed");
    }

    [Fact]
    public async Task An_OPTIONS_preflight_from_a_listed_origin_is_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/health");
        request.Headers.Add("Origin", AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await origins.Server.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST, OPTIONS", string.Join(", ", response.Headers.GetValues("Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task HTTP_endpoints_do_not_need_the_token()
    {
        using var response = await token.Server.Http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
