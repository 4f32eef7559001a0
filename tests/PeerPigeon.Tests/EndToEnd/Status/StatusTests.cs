using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.Status;

/// <summary>PROTOCOL.md §4: the HTTP endpoints on the WebSocket port, their shapes and field types.</summary>
public abstract class StatusTests(ServerFixture fixture) : EndToEndTest
{
    private const string HubNamespace = "pigeonhub-mesh";
    private const string FallbackText = "PeerPigeon WebSocket Signaling Server";

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Health_has_the_Node_shape()
    {
        var network = Ids.NewNetwork();
        await JoinAsync(Server, network, []);

        var (response, health) = await GetJsonAsync(Server, "/health");

        AssertJsonResponse(response);
        WireAssert.Fields(health, "status", "timestamp", "uptime", "isHub", "connections", "peers", "hubs", "networks", "memory");
        WireAssert.Str(health, "status", "healthy");
        WireAssert.IsoTimestamp(health);
        Assert.True(WireAssert.Number(health, "uptime") > 0);
        WireAssert.Bool(health, "isHub", true);
        Assert.True(WireAssert.WholeNumber(health, "connections") >= 1);
        Assert.True(WireAssert.WholeNumber(health, "peers") >= 1);
        Assert.True(WireAssert.WholeNumber(health, "hubs") >= 1, "the embedded silo is a hub");
        Assert.True(WireAssert.WholeNumber(health, "networks") >= 2, "the test network and the hub namespace");
        var memory = health.GetProperty("memory");
        WireAssert.Fields(memory, "rss", "heapTotal", "heapUsed", "external", "arrayBuffers");
        foreach (var field in new[] { "rss", "heapTotal", "heapUsed", "external", "arrayBuffers" })
        {
            WireAssert.Number(memory, field);
        }
    }

    [Fact]
    public async Task Health_uptime_is_in_seconds_with_a_fraction()
    {
        var (_, health) = await GetJsonAsync(Server, "/health");

        var uptime = health.GetProperty("uptime");
        Assert.False(uptime.TryGetInt64(out _), $"uptime should be fractional seconds, got {uptime.GetRawText()}");
        Assert.True(uptime.GetDouble() < TimeSpan.FromDays(1).TotalSeconds, "uptime is in seconds");
    }

    [Fact]
    public async Task Health_counts_connections_peers_and_networks()
    {
        // The tests of this class run one at a time: wait until the sockets of earlier tests are gone.
        await EventuallyAsync(async () =>
        {
            var (_, idle) = await GetJsonAsync(Server, "/health");
            return idle.GetProperty("connections").GetInt32() == 0 && idle.GetProperty("networks").GetInt32() == 1;
        }, "an idle server (no connections; only the hub namespace, where the silo hub is)");

        await GroupAsync(Server, 2, Ids.NewNetwork());
        await ConnectAsync(Server);
        var (_, health) = await GetJsonAsync(Server, "/health");

        Assert.Equal(3, health.GetProperty("connections").GetInt32());
        Assert.Equal(3, health.GetProperty("peers").GetInt32());
        Assert.Equal(2, health.GetProperty("networks").GetInt32());
        Assert.Equal(1, health.GetProperty("hubs").GetInt32());
    }

    [Fact]
    public async Task Hubs_lists_the_embedded_silo_hub_in_the_Node_shape()
    {
        var (response, body) = await GetJsonAsync(Server, "/hubs");

        AssertJsonResponse(response);
        WireAssert.Fields(body, "timestamp", "totalHubs", "hubs");
        WireAssert.IsoTimestamp(body);
        var hubs = body.GetProperty("hubs").EnumerateArray().ToList();
        Assert.Equal(hubs.Count, WireAssert.WholeNumber(body, "totalHubs"));
        var silo = Assert.Single(hubs, hub => hub.GetProperty("data").TryGetProperty("silo", out _));
        AssertHub(silo, HubNamespace);
        WireAssert.Bool(silo.GetProperty("data"), "isHub", true);
    }

    [Fact]
    public async Task Hubs_lists_a_connection_that_announced_as_a_hub()
    {
        var network = Ids.NewNetwork();
        var hub = await JoinAsync(Server, network, [], extraData: "\"isHub\":true,\"region\":\"test\"");

        var (_, body) = await GetJsonAsync(Server, "/hubs");

        var listed = Assert.Single(body.GetProperty("hubs").EnumerateArray(), entry => entry.GetProperty("peerId").GetString() == hub.Id);
        AssertHub(listed, network);
        WireAssert.Str(listed.GetProperty("data"), "region", "test");
        WireAssert.Bool(listed.GetProperty("data"), "isHub", true);
    }

    [Fact]
    public async Task A_peer_announcing_in_the_hub_namespace_discovers_the_silo_hub()
    {
        var (_, body) = await GetJsonAsync(Server, "/hubs");
        var siloHubId = body.GetProperty("hubs").EnumerateArray()
            .Single(hub => hub.GetProperty("data").TryGetProperty("silo", out _))
            .GetProperty("peerId").GetString()!;
        var peer = await ConnectAsync(Server);

        await peer.AnnounceAsync(HubNamespace);

        var discovered = await peer.ExpectAsync(Wire.Discovered(siloHubId), "peer-discovered about the silo hub");
        WireAssert.Bool(discovered.Message.GetProperty("data"), "isHub", true);
        WireAssert.Str(discovered.Message, "networkName", HubNamespace);
        WireAssert.Str(discovered.Message, "targetPeerId", peer.Id);
    }

    [Fact]
    public async Task Stats_has_the_getStats_shape()
    {
        var (response, stats) = await GetJsonAsync(Server, "/stats");

        AssertJsonResponse(response);
        WireAssert.Fields(stats, "isRunning", "isHub", "hubPeerId", "hubMeshNamespace", "connections", "peers", "hubs", "networks",
            "bootstrapHubs", "maxConnections", "uptime", "host", "port");
        WireAssert.Bool(stats, "isRunning", true);
        WireAssert.Bool(stats, "isHub", true);
        WireAssert.PeerIdField(stats, "hubPeerId");
        WireAssert.Str(stats, "hubMeshNamespace", HubNamespace);
        WireAssert.WholeNumber(stats, "connections");
        WireAssert.WholeNumber(stats, "peers");
        WireAssert.WholeNumber(stats, "hubs");
        WireAssert.WholeNumber(stats, "networks");
        WireAssert.Fields(stats.GetProperty("bootstrapHubs"), "total", "connected");
        WireAssert.WholeNumber(stats.GetProperty("bootstrapHubs"), "total");
        WireAssert.WholeNumber(stats.GetProperty("bootstrapHubs"), "connected");
        Assert.Equal(1000, WireAssert.WholeNumber(stats, "maxConnections"));
        Assert.True(WireAssert.WholeNumber(stats, "uptime") > 0, "uptime in milliseconds");
        WireAssert.Str(stats, "host", "127.0.0.1");
        Assert.Equal(Server.BaseAddress.Port, WireAssert.WholeNumber(stats, "port"));
    }

    [Fact]
    public async Task Hubstats_has_the_getHubStats_shape()
    {
        var (response, stats) = await GetJsonAsync(Server, "/hubstats");

        AssertJsonResponse(response);
        WireAssert.Fields(stats, "totalHubs", "connectedHubs", "hubs", "bootstrapHubs");
        var hubs = stats.GetProperty("hubs").EnumerateArray().ToList();
        Assert.Equal(hubs.Count, WireAssert.WholeNumber(stats, "totalHubs"));
        WireAssert.WholeNumber(stats, "connectedHubs");
        Assert.All(hubs, hub => AssertHub(hub, hub.GetProperty("networkName").GetString()!));
        Assert.Equal(JsonValueKind.Array, stats.GetProperty("bootstrapHubs").ValueKind);
    }

    [Fact]
    public async Task Metrics_has_the_Go_shape_by_default()
    {
        var network = Ids.NewNetwork();
        await GroupAsync(Server, 2, network);

        var (response, metrics) = await GetJsonAsync(Server, "/metrics");

        AssertJsonResponse(response);
        WireAssert.Fields(metrics, "timestamp", "uptime_ms", "server", "connections", "peers", "hubs", "networks");
        WireAssert.IsoTimestamp(metrics);
        Assert.True(WireAssert.WholeNumber(metrics, "uptime_ms") > 0);
        var server = metrics.GetProperty("server");
        WireAssert.Fields(server, "is_hub", "namespace", "region", "app_name");
        WireAssert.Bool(server, "is_hub", true);
        WireAssert.Str(server, "namespace", HubNamespace);
        WireAssert.AnyString(server, "region");
        WireAssert.AnyString(server, "app_name");
        var connections = metrics.GetProperty("connections");
        WireAssert.Fields(connections, "active", "max");
        Assert.True(WireAssert.WholeNumber(connections, "active") >= 2);
        Assert.Equal(1000, WireAssert.WholeNumber(connections, "max"));
        var peers = metrics.GetProperty("peers");
        WireAssert.Fields(peers, "total", "networks");
        Assert.True(WireAssert.WholeNumber(peers, "total") >= 2);
        Assert.Equal(2, WireAssert.WholeNumber(peers.GetProperty("networks"), network));
        var hubs = metrics.GetProperty("hubs");
        WireAssert.Fields(hubs, "discovered", "bootstrap_connected");
        Assert.True(WireAssert.WholeNumber(hubs, "discovered") >= 1);
        WireAssert.WholeNumber(hubs, "bootstrap_connected");
        Assert.True(WireAssert.WholeNumber(metrics, "networks") >= 2);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")]
    public async Task Metrics_for_Prometheus_is_the_text_exposition(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await Server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentType?.MediaType is "text/plain" or "application/openmetrics-text",
            $"expected a Prometheus content type, got {response.Content.Headers.ContentType}");
        Assert.False(body.TrimStart().StartsWith('{'), $"expected the Prometheus text exposition, got JSON: {body[..Math.Min(body.Length, 200)]}");
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_for_curl_is_JSON()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));

        using var response = await Server.Http.SendAsync(request);

        AssertJsonResponse(response);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).Dispose();
    }

    [Theory]
    [InlineData("/health/")]
    [InlineData("/health?x=1")]
    [InlineData("/health/?x=1&y")]
    [InlineData("/hubs/")]
    [InlineData("/hubs?peerId=0")]
    [InlineData("/stats/")]
    [InlineData("/stats?verbose=true")]
    [InlineData("/hubstats/")]
    [InlineData("/hubstats?x")]
    [InlineData("/metrics/")]
    [InlineData("/metrics?format=json")]
    public async Task Routes_tolerate_a_trailing_slash_and_a_query_string(string path)
    {
        var (response, body) = await GetJsonAsync(Server, path);

        AssertJsonResponse(response);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ws")]
    [InlineData("/unknown/path?x=1")]
    [InlineData("/healthz")]
    public async Task Anything_else_gets_the_text_banner(string path)
    {
        using var response = await Server.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FallbackText, await response.Content.ReadAsStringAsync());
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/health")]
    [InlineData("/anything")]
    public async Task OPTIONS_is_answered_as_upstream(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST, OPTIONS", string.Join(", ", response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal("Content-Type, Authorization", string.Join(", ", response.Headers.GetValues("Access-Control-Allow-Headers")));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static void AssertJsonResponse(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    private static void AssertHub(JsonElement hub, string network)
    {
        WireAssert.Fields(hub, "peerId", "registeredAt", "lastActivity", "networkName", "data", "connectedAt");
        WireAssert.PeerIdField(hub, "peerId");
        WireAssert.Timestamp(hub, "registeredAt");
        WireAssert.Timestamp(hub, "lastActivity");
        WireAssert.Str(hub, "networkName", network);
        Assert.Equal(JsonValueKind.Object, hub.GetProperty("data").ValueKind);
        WireAssert.Timestamp(hub, "connectedAt");
    }
}
