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

    [Theory]
    [InlineData("none", 401)]
    [InlineData("wrong-basic", 401)]
    [InlineData("bearer", 200)]
    [InlineData("basic", 200)]
    [InlineData("query", 200)]
    public async Task The_dashboard_asks_for_the_token(string form, int expected)
    {
        var path = form == "query" ? $"/dashboard/?token={Uri.EscapeDataString(Token)}" : "/dashboard/";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var basic = (string user, string password) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        request.Headers.Authorization = form switch
        {
            "bearer" => new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token),
            "basic" => new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic("operator", Token)),
            "wrong-basic" => new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic("operator", "wrong-token")),
            _ => null,
        };

        using var response = await token.Server.Http.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 401)
        {
            Assert.StartsWith("Basic ", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("<title>Orleans Dashboard</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_token_the_dashboard_is_open()
    {
        using var response = await origins.Server.Http.GetAsync(new Uri("/dashboard/", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
