using System.Net.WebSockets;
using PeerPigeon.Tests.EndToEnd.Cluster;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// Two gateways that are Orleans clients of one silo: discovery, signaling, duplicate rejection, departures, the
/// mailbox and the HTTP figures work across gateways (PROTOCOL.md §1–§4, "cluster-wide").
/// </summary>
public abstract class ClientModeTests(ClusterFixture cluster) : EndToEndTest
{
    private const string HubNamespace = "pigeonhub-mesh";

    protected GatewayServer First => cluster.First;

    protected GatewayServer Second => cluster.Second;

    [Fact]
    public async Task Peers_on_different_gateways_discover_each_other()
    {
        var network = Ids.NewNetwork();
        var onFirst = await ConnectAsync(First);
        await onFirst.AnnounceAsync(network, "\"nickname\":\"first\"");
        await onFirst.SyncAsync();
        var onSecond = await ConnectAsync(Second);

        await onSecond.AnnounceAsync(network, "\"nickname\":\"second\"");

        var aboutSecond = await onFirst.ExpectAsync(Wire.Discovered(onSecond.Id), "peer-discovered about the peer on the other gateway");
        WireAssert.Fields(aboutSecond.Message, "type", "data", "networkName", "fromPeerId", "targetPeerId", "timestamp");
        WireAssert.Str(aboutSecond.Message, "networkName", network);
        WireAssert.Str(aboutSecond.Message, "targetPeerId", onFirst.Id);
        WireAssert.Str(aboutSecond.Message.GetProperty("data"), "nickname", "second");
        WireAssert.Bool(aboutSecond.Message.GetProperty("data"), "isHub", false);
        var aboutFirst = await onSecond.ExpectAsync(Wire.Discovered(onFirst.Id), "peer-discovered about the peer on the first gateway");
        WireAssert.Str(aboutFirst.Message, "targetPeerId", onSecond.Id);
        WireAssert.Str(aboutFirst.Message.GetProperty("data"), "nickname", "first");
        await onFirst.AssertNothingElseAsync();
        await onSecond.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Signaling_crosses_gateways_byte_for_byte_and_in_order()
    {
        var network = Ids.NewNetwork();
        var onFirst = await JoinAsync(First, network, []);
        var onSecond = await JoinAsync(Second, network, [onFirst]);
        const string Data = "{ \"type\" : \"offer\",\n\t\"sdp\" : \"v=0\\r\\na=x \\u00e9 é\" }";

        await onFirst.SignalAsync("offer", onSecond, Data, network);
        var offer = await onSecond.ExpectAsync(Wire.Relayed("offer", onFirst.Id), "the offer from the other gateway");
        Assert.Contains("\"data\":" + Data + ",", offer.Raw, StringComparison.Ordinal);
        WireAssert.Fields(offer.Message, "type", "data", "fromPeerId", "targetPeerId", "networkName", "timestamp");
        WireAssert.Str(offer.Message, "targetPeerId", onSecond.Id);
        WireAssert.Str(offer.Message, "networkName", network);

        for (var i = 0; i < 50; i++)
        {
            await onSecond.SignalAsync("ice-candidate", onFirst, $$"""{"seq":{{i}}}""", network);
        }

        var candidates = await onFirst.ExpectManyAsync(50, Wire.Relayed("ice-candidate", onSecond.Id), "an ice-candidate from the other gateway");
        Assert.Equal(Enumerable.Range(0, 50), candidates.Select(frame => frame.Message.GetProperty("data").GetProperty("seq").GetInt32()));
        await onFirst.AssertNothingElseAsync();
        await onSecond.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_duplicate_on_the_other_gateway_is_rejected()
    {
        var network = Ids.NewNetwork();
        var original = await JoinAsync(First, network, []);
        var partner = await JoinAsync(Second, network, [original]);

        var duplicate = await OpenAsync(Second, $"/?peerId={original.Id}", original.Id);

        await duplicate.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Peer already connected");
        Assert.Empty(duplicate.Frames);
        await AssertRelaysAsync(original, partner);
        await partner.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_departure_is_announced_once_on_the_other_gateway()
    {
        var network = Ids.NewNetwork();
        var leaver = await JoinAsync(First, network, []);
        var observer = await JoinAsync(Second, network, [leaver]);
        var outsider = await JoinAsync(Second, Ids.NewNetwork(), []);

        await leaver.CloseAsync();

        var departed = await observer.ExpectAsync(Wire.Disconnected(leaver.Id), "peer-disconnected about the peer of the other gateway");
        WireAssert.Fields(departed.Message, "type", "data", "networkName", "fromPeerId", "targetPeerId", "timestamp");
        WireAssert.Str(departed.Message, "networkName", network);
        WireAssert.AnyString(departed.Message.GetProperty("data"), "reason");
        await SettleAsync(First, network, observer);
        await observer.AssertNothingElseAsync(Wire.About(leaver.Id), "exactly one peer-disconnected");
        await outsider.AssertNothingElseAsync();
    }

    [Fact]
    public async Task The_peers_of_a_gateway_process_that_dies_are_announced_as_departed_within_30_seconds()
    {
        var network = Ids.NewNetwork();
        var doomed = await GatewayProcess.StartAsync(cluster.GatewaySettings);
        await using (doomed)
        {
            var survivor = await JoinAsync(First, network, []);
            var victim = await JoinAsync(doomed, network, [survivor]);
            var idle = await ConnectAsync(doomed);

            await doomed.KillAsync();

            var departed = await survivor.ExpectAsync(Wire.Disconnected(victim.Id), "peer-disconnected about the peer of the dead gateway",
                TimeSpan.FromSeconds(30));
            WireAssert.Str(departed.Message, "networkName", network);
            WireAssert.AnyString(departed.Message.GetProperty("data"), "reason");
            await SettleAsync(Second, network, survivor);
            await survivor.AssertNothingElseAsync(Wire.AboutAny(victim.Id, idle.Id), "exactly one peer-disconnected; nothing about the idle peer");

            // The dead gateway's peers are free to reconnect elsewhere at once.
            var back = await ConnectAsync(Second, victim.Id);
            await AnnounceAsync(back, network, [survivor]);
        }
    }

    [Fact]
    public async Task A_goodbye_reaches_members_on_the_other_gateway()
    {
        var network = Ids.NewNetwork();
        var leaver = await JoinAsync(First, network, []);
        var local = await JoinAsync(First, network, [leaver]);
        var remote = await JoinAsync(Second, network, [leaver, local]);

        await leaver.SendAsync(Wire.GoodbyeMessage(leaver.Id));

        foreach (var member in new[] { local, remote })
        {
            var goodbye = await member.ExpectAsync(Wire.Goodbye(leaver.Id), "the goodbye");
            WireAssert.Str(goodbye.Message, "networkName", network);
            var departed = await member.ExpectAsync(Wire.Disconnected(leaver.Id), "peer-disconnected after the goodbye");
            Assert.True(goodbye.Index < departed.Index);
        }
    }

    [Fact]
    public async Task The_network_rule_holds_across_gateways()
    {
        var senderNetwork = Ids.NewNetwork();
        var targetNetwork = Ids.NewNetwork();
        var sender = await JoinAsync(First, senderNetwork, []);
        var target = await JoinAsync(Second, targetNetwork, []);

        await sender.SignalAsync("offer", target, """{"sdp":"cross"}""", targetNetwork);

        var error = await sender.ExpectAsync(Wire.Error(), "an error for a target in another network");
        WireAssert.Str(error.Message, "networkName", senderNetwork);
        await target.AssertNothingElseAsync(context: "nothing crosses networks");
    }

    [Fact]
    public async Task Signaling_waits_for_a_target_that_attaches_to_the_other_gateway()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(First, network, []);
        var targetId = Ids.NewPeerId();
        await sender.SendAsync(Wire.Signal("offer", targetId, """{"sdp":"later"}""", network));
        await sender.SendAsync(Wire.Signal("ice-candidate", targetId, """{"candidate":"later"}""", network));
        await sender.SyncAsync();

        var target = await ConnectAsync(Second, targetId);
        await target.AnnounceAsync(network);

        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the pending offer");
        var candidate = await target.ExpectAsync(Wire.Relayed("ice-candidate", sender.Id), "the pending ice-candidate");
        Assert.True(offer.Index < candidate.Index);
        WireAssert.Str(offer.Message, "networkName", network);
    }

    [Fact]
    public async Task HTTP_figures_are_cluster_wide_and_connections_per_gateway()
    {
        // Each gateway reports its own figures every CLEANUP_INTERVAL_MS, so the other gateway's share is that fresh.
        var freshness = TimeSpan.FromMilliseconds(ClusterFixture.CleanupIntervalMs * 10);
        await EventuallyAsync(async () => await PeersAsync(First) == 0 && await PeersAsync(Second) == 0, "an idle cluster", freshness);
        var network = Ids.NewNetwork();
        var onFirst = await JoinAsync(First, network, []);
        await JoinAsync(Second, network, [onFirst]);
        await ConnectAsync(Second);

        await EventuallyAsync(async () => await PeersAsync(First) == 3 && await PeersAsync(Second) == 3,
            "both gateways to count the 3 peers of the cluster", freshness);

        var (firstResponse, firstHealth) = await GetJsonAsync(First, "/health");
        var (_, secondHealth) = await GetJsonAsync(Second, "/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, firstResponse.StatusCode);
        WireAssert.Str(firstHealth, "status", "healthy");
        Assert.Equal(1, firstHealth.GetProperty("connections").GetInt32());
        Assert.Equal(2, secondHealth.GetProperty("connections").GetInt32());
        var (_, metrics) = await GetJsonAsync(First, "/metrics");
        Assert.Equal(2, metrics.GetProperty("peers").GetProperty("networks").GetProperty(network).GetInt32());
    }

    [Fact]
    public async Task Both_gateways_list_the_silo_hub_and_a_hub_namespace_peer_discovers_it()
    {
        var (_, firstHubs) = await GetJsonAsync(First, "/hubs");
        var (_, secondHubs) = await GetJsonAsync(Second, "/hubs");
        var siloHubId = firstHubs.GetProperty("hubs").EnumerateArray()
            .Single(hub => hub.GetProperty("data").TryGetProperty("silo", out _)).GetProperty("peerId").GetString()!;
        Assert.Contains(secondHubs.GetProperty("hubs").EnumerateArray(), hub => hub.GetProperty("peerId").GetString() == siloHubId);

        foreach (var gateway in new[] { First, Second })
        {
            var peer = await ConnectAsync(gateway);
            await peer.AnnounceAsync(HubNamespace);
            var discovered = await peer.ExpectAsync(Wire.Discovered(siloHubId), "peer-discovered about the silo hub");
            WireAssert.Bool(discovered.Message.GetProperty("data"), "isHub", true);
        }
    }

    private static async Task<int> PeersAsync(GatewayServer gateway)
    {
        var (_, health) = await GetJsonAsync(gateway, "/health");
        return health.GetProperty("peers").GetInt32();
    }
}
