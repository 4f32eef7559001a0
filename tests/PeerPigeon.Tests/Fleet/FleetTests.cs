using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Push;
using PeerPigeon.Tests.EndToEnd;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// A real fleet — Redis, two silos and two gateways, each its own process — shared by the tests of a class: discovery
/// and every relayed type across gateways, cluster-wide duplicate rejection, a gateway process that dies, silo hubs,
/// operator endpoints and cluster-wide figures (PROTOCOL.md §1–§5). Tests use fresh peer ids and networks and leave
/// the fleet whole (a test that kills a gateway starts an extra one to kill).
/// </summary>
public abstract class FleetTests(FleetFixture fixture, ITestOutputHelper output) : EndToEndTest
{
    private const string HubNamespace = "pigeonhub-mesh";

    /// <summary>
    /// Signaling data with whitespace between tokens, escapes, non-ASCII text and number spellings that a
    /// re-serializer would change; the target must receive it exactly as written.
    /// </summary>
    private const string OddData = "{ \"type\" :\t\"offer\" ,\n  \"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\" , \"u\":\"\\u00e9\\ud83d\\ude00 é 😀\","
        + " \"esc\":\"\\\"\\\\\\/<>&'\", \"n\": 1.0e+3 , \"big\": 12345678901234567890123, \"arr\":[ ] ,\r\n \"nested\":{\"a\":{\"b\":[true,false,null]}}  }";

    /// <summary>PROTOCOL.md §3: a peer of a gateway that dies must be announced as departed within 30 s.</summary>
    private static readonly TimeSpan DepartureBound = TimeSpan.FromSeconds(30);

    private Fleet Fleet => fixture.Fleet;

    private FleetGateway First => Fleet.Gateways[0];

    private FleetGateway Second => Fleet.Gateways[1];

    [Fact]
    public async Task Peers_on_different_gateways_discover_each_other_and_relay_every_signaling_type_byte_for_byte()
    {
        var network = Ids.NewNetwork();
        var onFirst = await ConnectAsync(First);
        await onFirst.AnnounceAsync(network, "\"nickname\":\"first\",\"meta\":{\"tags\":[1,\"two\",null]}");
        await onFirst.SyncAsync();
        var onSecond = await ConnectAsync(Second);

        await onSecond.AnnounceAsync(network, "\"nickname\":\"second\"");

        var aboutSecond = await onFirst.ExpectAsync(Wire.Discovered(onSecond.Id), "peer-discovered about the peer on the other gateway");
        WireAssert.PeerDiscovered(aboutSecond.Message, onSecond.Id, isHub: false, network, recipient: onFirst.Id);
        WireAssert.Fields(aboutSecond.Message.GetProperty("data"), "peerId", "isHub", "nickname");
        WireAssert.Str(aboutSecond.Message.GetProperty("data"), "nickname", "second");
        var aboutFirst = await onSecond.ExpectAsync(Wire.Discovered(onFirst.Id), "peer-discovered about the peer on the first gateway");
        WireAssert.PeerDiscovered(aboutFirst.Message, onFirst.Id, isHub: false, network, recipient: onSecond.Id);
        WireAssert.Fields(aboutFirst.Message.GetProperty("data"), "peerId", "isHub", "nickname", "meta");
        WireAssert.Str(aboutFirst.Message.GetProperty("data"), "nickname", "first");
        WireAssert.JsonEquals("""{"tags":[1,"two",null]}""", aboutFirst.Message.GetProperty("data").GetProperty("meta"));

        // Every relayed type, each way; the envelope claims to come from someone else, which the server must ignore.
        var impostor = Ids.NewPeerId();
        foreach (var type in MessageTypes.Relayed.Order(StringComparer.Ordinal))
        {
            foreach (var (sender, target) in new[] { (onFirst, onSecond), (onSecond, onFirst) })
            {
                await sender.SendAsync($$"""{"type":"{{type}}","data":{{OddData}},"maxPeers":3,"networkName":"{{network}}","targetPeerId":"{{target.Id}}","fromPeerId":"{{impostor}}"}""");

                var relayed = await target.ExpectAsync(Wire.Relayed(type, sender.Id), $"the {type} from {sender.Id} on the other gateway");
                Assert.Contains("\"data\":" + OddData + ",", relayed.Raw, StringComparison.Ordinal);
                WireAssert.Fields(relayed.Message, "type", "data", "fromPeerId", "targetPeerId", "networkName", "timestamp");
                WireAssert.Str(relayed.Message, "type", type);
                WireAssert.Str(relayed.Message, "fromPeerId", sender.Id);
                WireAssert.Str(relayed.Message, "targetPeerId", target.Id);
                WireAssert.Str(relayed.Message, "networkName", network);
                WireAssert.Timestamp(relayed.Message);
            }
        }

        await onFirst.AssertNothingElseAsync(context: "no acknowledgement of a relay, nothing from the impostor");
        await onSecond.AssertNothingElseAsync(context: "no acknowledgement of a relay, nothing from the impostor");
    }

    [Fact]
    public async Task A_duplicate_peer_id_on_the_other_gateway_is_closed_with_1008_and_the_first_socket_keeps_working()
    {
        var network = Ids.NewNetwork();
        var original = await JoinAsync(First, network, []);
        var partner = await JoinAsync(Second, network, [original]);

        var duplicate = await OpenAsync(Second, $"/?peerId={original.Id}", original.Id);
        var duplicateOfPartner = await OpenAsync(First, $"/?peerId={partner.Id}", partner.Id);

        await duplicate.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Peer already connected");
        await duplicateOfPartner.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Peer already connected");
        Assert.Empty(duplicate.Frames);
        Assert.Empty(duplicateOfPartner.Frames);
        await AssertRelaysAsync(original, partner);
        await original.AssertNothingElseAsync(context: "the rejected duplicates change nothing for the originals");
        await partner.AssertNothingElseAsync(context: "the rejected duplicates change nothing for the originals");
    }

    [Fact]
    public async Task The_peers_of_a_gateway_process_killed_outright_are_announced_departed_within_30_seconds()
    {
        var network = Ids.NewNetwork();
        var doomed = await Fleet.StartExtraGatewayAsync();
        var onFirst = await JoinAsync(First, network, []);
        var onSecond = await JoinAsync(Second, network, [onFirst]);
        var victim = await JoinAsync(doomed, network, [onFirst, onSecond]);
        var idle = await ConnectAsync(doomed);

        var killed = Stopwatch.GetTimestamp();
        await doomed.KillAsync();

        foreach (var survivor in new[] { onFirst, onSecond })
        {
            var departed = await survivor.ExpectAsync(Wire.Disconnected(victim.Id), "peer-disconnected about the peer of the killed gateway", DepartureBound);
            var after = Stopwatch.GetElapsedTime(killed, departed.ReceivedTimestamp);
            output.WriteLine($"{Fleet.Transport}: the departure of the killed gateway's peer reached {survivor.Id} after {after.TotalSeconds:0.00} s "
                + $"(CLEANUP_INTERVAL_MS={Fleet.CleanupIntervalMs}, heartbeat {Math.Min(Fleet.CleanupIntervalMs, 2000)} ms)");
            Assert.True(after < DepartureBound, $"Expected the departure within {DepartureBound.TotalSeconds} s of the kill; it took {after.TotalSeconds:0.00} s");
            WireAssert.PeerDisconnected(departed.Message, victim.Id, network, survivor.Id);
            WireAssert.Str(departed.Message.GetProperty("data"), "reason", "Gateway unavailable");
        }

        await SettleAsync(Second, network, onFirst, onSecond);
        await onFirst.AssertNothingElseAsync(Wire.AboutAny(victim.Id, idle.Id), "exactly one peer-disconnected; nothing about the idle peer");
        await onSecond.AssertNothingElseAsync(Wire.AboutAny(victim.Id, idle.Id), "exactly one peer-disconnected; nothing about the idle peer");

        // The dead gateway's peers are free to attach elsewhere at once.
        var back = await ConnectAsync(Second, victim.Id);
        await back.AnnounceAsync(network);
        await onFirst.ExpectAsync(Wire.Discovered(victim.Id), "peer-discovered about the peer back on another gateway");
        await AssertRelaysAsync(back, onFirst);
    }

    [Fact]
    public async Task Each_gateways_stream_subscription_is_kept_in_Redis_and_expires_within_an_hour_of_its_renewal_none_with_observers()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Fleet.Redis.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var keys = new List<(string Key, TimeSpan? Ttl)>();
        await foreach (var key in server.KeysAsync(pattern: "*pubsubrendezvous*"))
        {
            keys.Add((key.ToString(), await redis.GetDatabase().KeyTimeToLiveAsync(key)));
        }

        var described = string.Join("; ", keys.Select(entry => $"{entry.Key} (TTL {entry.Ttl?.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) ?? "none"})"));
        output.WriteLine($"{Fleet.Transport}: {keys.Count} subscription entries in Redis: {described}");
        if (Fleet.Transport == PushTransport.Observer)
        {
            Assert.True(keys.Count == 0, $"Expected no stream subscriptions in Redis with the observer transport; found {described}");
            return;
        }

        // One entry per gateway (the gateway id is gw-<pid>-<guid>); the extra gateway another test killed may have left one.
        foreach (var gateway in Fleet.Gateways)
        {
            var marker = $"/{GatewayStreams.Namespace}/gw-{gateway.Process!.Process.Id.ToString(CultureInfo.InvariantCulture)}-";
            Assert.True(keys.Count(entry => entry.Key.Contains(marker, StringComparison.Ordinal)) == 1,
                $"Expected exactly one subscription entry in Redis for {gateway.Name} (key containing '{marker}'); found {described}");
        }

        Assert.All(keys, entry => Assert.True(entry.Ttl is { } ttl && ttl > TimeSpan.Zero && ttl <= GatewayStreams.SubscriptionLifetime,
            $"Expected {entry.Key} to expire within {GatewayStreams.SubscriptionLifetime.TotalMinutes} min; its TTL is {entry.Ttl?.ToString() ?? "none"}"));
    }

    [Fact]
    public async Task Both_gateways_list_both_silo_hubs_and_a_hub_namespace_peer_on_either_discovers_both_silos()
    {
        var siloHubIds = Fleet.Silos.Select(silo => silo.HubId).ToHashSet();
        foreach (var gateway in Fleet.Gateways)
        {
            var (response, hubs) = await GetJsonAsync(gateway, "/hubs");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var siloHubs = hubs.GetProperty("hubs").EnumerateArray().Where(hub => hub.GetProperty("data").TryGetProperty("silo", out _)).ToList();
            Assert.Equal(siloHubIds.Order(), siloHubs.Select(hub => hub.GetProperty("peerId").GetString()!).Order());
            Assert.All(siloHubs, hub =>
            {
                WireAssert.Str(hub, "networkName", HubNamespace);
                WireAssert.Bool(hub.GetProperty("data"), "isHub", true);
            });
        }

        foreach (var gateway in Fleet.Gateways)
        {
            var peer = await ConnectAsync(gateway);
            await peer.AnnounceAsync(HubNamespace);
            foreach (var silo in Fleet.Silos)
            {
                var discovered = await peer.ExpectAsync(Wire.Discovered(silo.HubId), $"peer-discovered about the hub of {silo.Name}");
                WireAssert.PeerDiscovered(discovered.Message, silo.HubId, isHub: true, HubNamespace, peer.Id);
            }
        }
    }

    [Fact]
    public async Task A_silo_dashboard_asks_for_the_token_and_accepts_it_as_Bearer_or_Basic()
    {
        var silo = Fleet.Silos[0];
        const string Page = "/dashboard/";

        using (var anonymous = await silo.Http.GetAsync(new Uri(Page, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains(anonymous.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await DashboardStatusAsync(silo, new AuthenticationHeaderValue("Bearer", "wrong-token")));
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(silo, new AuthenticationHeaderValue("Bearer", Fleet.DashboardToken)));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{Fleet.DashboardToken}"));
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(silo, new AuthenticationHeaderValue("Basic", basic)));
    }

    [Fact]
    public async Task Silos_and_gateways_serve_Prometheus_text_with_orleans_and_peerpigeon_series()
    {
        // Grain series exist once the grains did something on that silo: announces (discovery fan-out) in fresh
        // networks, whose grains are placed across the silos, and signaling kept for a peer that is not attached.
        var peer = await ConnectAsync(First);
        var target = await ConnectAsync(Second);
        await AssertRelaysAsync(peer, target);
        await peer.SignalAsync("offer", Ids.NewPeerId());

        foreach (var silo in Fleet.Silos)
        {
            var (scrape, _) = await Poll.UntilAsync(
                async () =>
                {
                    await peer.AnnounceAsync(Ids.NewNetwork());
                    await peer.SyncAsync();
                    return await Prometheus.TryScrapeAsync(silo.Http);
                },
                scrape => scrape is { Status: HttpStatusCode.OK } && scrape.HasSeries("orleans_") && scrape.HasSeries("peerpigeon_"),
                $"{silo.Name}'s /metrics to be Prometheus text with orleans_ and peerpigeon_ series", TimeSpan.FromSeconds(30),
                scrape => scrape?.Describe() ?? "no answer");
            Assert.Equal("text/plain", scrape!.MediaType);
            Assert.Contains(scrape.Samples, line => line.StartsWith("peerpigeon_", StringComparison.Ordinal) && line.Contains("otel_scope_name=\"PeerPigeon.Grains\"", StringComparison.Ordinal));
        }

        foreach (var gateway in Fleet.Gateways)
        {
            var (scrape, _) = await Poll.UntilAsync(() => Prometheus.TryScrapeAsync(gateway.Http),
                scrape => scrape is { Status: HttpStatusCode.OK } && scrape.HasSeries("orleans_") && scrape.HasSeries("peerpigeon_"),
                $"{gateway.Name}'s /metrics (Accept: text/plain) to be Prometheus text with orleans_ and peerpigeon_ series", TimeSpan.FromSeconds(10),
                scrape => scrape?.Describe() ?? "no answer");
            Assert.Equal("text/plain", scrape!.MediaType);
        }
    }

    [Fact]
    public async Task Health_on_a_gateway_counts_the_peers_of_both_gateways_and_only_its_own_connections()
    {
        // Each gateway reports its sockets every heartbeat (2 s); the other gateway's share is that fresh.
        var freshness = TimeSpan.FromSeconds(20);
        await Poll.UntilAsync(() => Task.WhenAll(First.HealthAsync(), Second.HealthAsync()),
            health => health.All(answer => answer is (HttpStatusCode.OK, var body) && body.GetProperty("peers").GetInt32() == 0),
            "an idle fleet (peers 0 on both gateways)", freshness, health => string.Join(" | ", health.Select(answer => answer?.Body.GetRawText())));
        var network = Ids.NewNetwork();
        var onFirst = await JoinAsync(First, network, []);
        await JoinAsync(Second, network, [onFirst]);
        await ConnectAsync(Second);

        var (health, _) = await Poll.UntilAsync(() => Task.WhenAll(First.HealthAsync(), Second.HealthAsync()),
            health => health.All(answer => answer is (HttpStatusCode.OK, var body) && body.GetProperty("peers").GetInt32() == 3),
            "both gateways to count the 3 peers of the fleet", freshness, health => string.Join(" | ", health.Select(answer => answer?.Body.GetRawText())));

        var first = health[0]!.Value.Body;
        var second = health[1]!.Value.Body;
        WireAssert.Str(first, "status", "healthy");
        Assert.Equal(1, WireAssert.WholeNumber(first, "connections"));
        Assert.Equal(2, WireAssert.WholeNumber(second, "connections"));
        Assert.Equal(Fleet.Silos.Count, WireAssert.WholeNumber(first, "hubs"));
    }

    private static async Task<HttpStatusCode> DashboardStatusAsync(FleetSilo silo, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/dashboard/", UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await silo.Http.SendAsync(request);
        return response.StatusCode;
    }
}
