using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PeerPigeon.Push;
using PeerPigeon.Tests.EndToEnd;
using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// What a fleet does when its processes die: a silo killed under steady signaling, every silo killed and restarted,
/// silos leaving the hub mesh (killed or stopped). Each test starts its own fleet, since it breaks it.
/// </summary>
public abstract partial class FleetFailureTests(PushTransport transport, ITestOutputHelper output) : EndToEndTest
{
    private const string HubNamespace = "pigeonhub-mesh";

    private static readonly TimeSpan SendPeriod = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan QuietAfterKill = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LastDeliveryBound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A silo killed outright is declared dead about 3 s after the kill; its hub's departure and its removal from
    /// <c>/hubs</c> follow at once (a stopped silo leaves at once).
    /// </summary>
    private static readonly TimeSpan HubDepartureBound = TimeSpan.FromSeconds(10);

    /// <summary>A gateway's <c>/health</c> gives the cluster 5 s to answer before it says 503.</summary>
    private static readonly TimeSpan UnhealthyBound = TimeSpan.FromSeconds(20);

    private Fleet? _fleet;

    /// <summary>
    /// The observer transport loses nothing. The stream transport keeps pushes in memory queues on the silos: a silo
    /// killed outright loses what its queues held, a few messages at most with a 10 ms polling period (measured at 20
    /// offers/s on 2 cores: 0 in 16 kills). The gateways' subscriptions are kept in Redis and survive the kill; when they
    /// lived on a silo, a kill could also drop everything published until the gateway re-subscribed (once 83 offers,
    /// about 4 s of traffic), which this bound (half a second of traffic) would catch.
    /// </summary>
    private int AllowedLoss => transport == PushTransport.Stream ? 10 : 0;

    /// <summary>
    /// The longest pause in delivery a silo kill may cause. Observer (the default): under 10 s, as the issue asks
    /// (measured 4.1–5.1 s). Stream: a queue read that went to the dead silo waits out the silo response timeout
    /// (10 s) before the reader retries on the queue's new home, so a few kills pause delivery 12–13 s
    /// (docs/operations.md, stream transport limits); the bound is that, with margin.
    /// </summary>
    private TimeSpan MaxDeliveryGap => TimeSpan.FromSeconds(transport == PushTransport.Stream ? 15 : 10);

    [Fact]
    public Task A_silo_killed_under_steady_cross_gateway_signaling_only_pauses_delivery_and_departs_nobody() => OnFreshFleetAsync(async fleet =>
    {
        var network = Ids.NewNetwork();

        // The target attaches first, alone, so that the silo now holding one peer grain holds the target's: the grain
        // every relay goes through, and the one whose loss matters.
        var target = await ConnectAsync(fleet.Gateways[1]);
        var victim = await SiloHoldingTheOnlyAsync(fleet, "peer");
        var sender = await ConnectAsync(fleet.Gateways[0]);
        await AnnounceAsync(target, network, []);
        await AnnounceAsync(sender, network, [target]);

        var sent = new List<long>();
        using var stopSending = new CancellationTokenSource();
        var sending = SendSteadilyAsync(sender, target, network, sent, stopSending.Token);
        await target.ExpectManyAsync(20, Wire.Relayed("offer", sender.Id), "steady offers before the kill");

        // Sending goes on for the whole window in which no departure may be announced.
        var killed = Stopwatch.GetTimestamp();
        await fleet.KillSiloAsync(victim);
        stopSending.CancelAfter(QuietAfterKill - Stopwatch.GetElapsedTime(killed));
        await sending;

        // No departure: the peers never left, whatever happened to the silo holding their grains.
        foreach (var peer in new[] { sender, target })
        {
            Assert.DoesNotContain(peer.Frames, frame => frame.Json is { } json && Wire.IsType("peer-disconnected")(json));
        }

        var last = sent.Count - 1;
        var offers = await WaitForSequenceAsync(target, sender, last);
        var deliveries = offers.Select(frame => (Seq: SequenceOf(frame), At: frame.ReceivedTimestamp)).ToList();
        var gaps = deliveries.Zip(deliveries.Skip(1), (before, after) => (Before: before, Gap: Stopwatch.GetElapsedTime(before.At, after.At))).ToList();
        var widest = gaps.MaxBy(gap => gap.Gap);
        var firstSentAfterKill = sent.FindIndex(at => at > killed);
        var resumed = deliveries.First(delivery => delivery.Seq >= firstSentAfterKill);
        var distinct = deliveries.Select(delivery => delivery.Seq).Distinct().ToList();
        var lost = Enumerable.Range(0, last + 1).Except(distinct).ToList();
        var duplicates = deliveries.Count - distinct.Count;
        var errors = sender.Frames.Where(frame => frame.Json is { } json && Wire.Error()(json)).ToList();
        output.WriteLine($"{transport}: killed {fleet.Silos[victim].Name} (held the target's grain) under {1000 / SendPeriod.TotalMilliseconds:0} offers/s; "
            + $"largest gap between deliveries {widest.Gap.TotalSeconds:0.00} s (after #{widest.Before.Seq}); first offer sent after the kill "
            + $"(#{firstSentAfterKill}) delivered {Stopwatch.GetElapsedTime(killed, resumed.At).TotalSeconds:0.00} s after the kill; "
            + $"{last + 1} sent, {distinct.Count} delivered, lost [{string.Join(", ", lost)}], {duplicates} duplicates, {errors.Count} errors to the sender{string.Concat(errors.Take(3).Select(error => " " + error.Raw))}");

        Assert.True(widest.Gap < MaxDeliveryGap,
            $"Expected every gap between deliveries under {MaxDeliveryGap.TotalSeconds} s; after #{widest.Before.Seq} nothing arrived for {widest.Gap.TotalSeconds:0.00} s");
        Assert.True(deliveries.Select(delivery => delivery.Seq).Zip(deliveries.Skip(1).Select(delivery => delivery.Seq)).All(pair => pair.First <= pair.Second),
            $"Expected deliveries in the order sent; got {string.Join(", ", deliveries.Select(delivery => delivery.Seq))}");
        Assert.True(lost.Count <= AllowedLoss,
            $"Expected at most {AllowedLoss} offers lost with the {transport} transport; lost {lost.Count}: [{string.Join(", ", lost)}]");
        await AssertRelaysAsync(sender, target);
    });

    [Fact]
    public Task A_gateway_that_loses_every_silo_is_unhealthy_until_they_return_and_its_peers_keep_signaling() => OnFreshFleetAsync(async fleet =>
    {
        var network = Ids.NewNetwork();
        var stayOnFirst = await JoinAsync(fleet.Gateways[0], network, []);
        var stayOnSecond = await JoinAsync(fleet.Gateways[1], network, [stayOnFirst]);
        await AssertRelaysAsync(stayOnFirst, stayOnSecond);

        // Nothing in flight when the silos die (a call cut off by the kill is retried, and may then arrive twice).
        await stayOnFirst.SyncAsync();
        await stayOnSecond.SyncAsync();

        var killed = Stopwatch.GetTimestamp();
        await Task.WhenAll(fleet.Silos.Select((_, index) => fleet.KillSiloAsync(index)));
        foreach (var gateway in fleet.Gateways)
        {
            var (health, after) = await Poll.UntilAsync(gateway.HealthAsync, health => health is (HttpStatusCode.ServiceUnavailable, _),
                $"{gateway.Name}'s /health to answer 503 once every silo is dead", UnhealthyBound, DescribeHealth);
            WireAssert.Str(health!.Value.Body, "status", "unhealthy");
            output.WriteLine($"{transport}: {gateway.Name} /health 503 {Stopwatch.GetElapsedTime(killed).TotalSeconds:0.00} s after both silos were killed "
                + $"(polled {after.TotalSeconds:0.00} s)");
        }

        var restarted = Stopwatch.GetTimestamp();
        await Task.WhenAll(fleet.Silos.Select((_, index) => fleet.RestartSiloAsync(index)));
        foreach (var gateway in fleet.Gateways)
        {
            await Poll.UntilAsync(gateway.HealthAsync, health => health is (HttpStatusCode.OK, _),
                $"{gateway.Name}'s /health to answer 200 once the silos are back", Fleet.ReadyTimeout, DescribeHealth);
            output.WriteLine($"{transport}: {gateway.Name} /health 200 {Stopwatch.GetElapsedTime(restarted).TotalSeconds:0.00} s after both silos were restarted");
        }

        await fleet.WaitUntilReadyAsync(progress: line => output.WriteLine($"{transport}: readiness {line}"));
        output.WriteLine($"{transport}: fleet ready (both silos active, both hubs listed) {Stopwatch.GetElapsedTime(restarted).TotalSeconds:0.00} s after the restart");

        var freshNetwork = Ids.NewNetwork();
        var freshOnFirst = await JoinAsync(fleet.Gateways[0], freshNetwork, []);
        var freshOnSecond = await JoinAsync(fleet.Gateways[1], freshNetwork, [freshOnFirst]);
        await AssertRelaysAsync(freshOnFirst, freshOnSecond);

        // The peers that stayed connected through the outage were re-asserted into the new cluster.
        var recovered = Stopwatch.GetTimestamp();
        await AssertRelaysAsync(stayOnFirst, stayOnSecond);
        output.WriteLine($"{transport}: a relay between peers that stayed connected through the outage took {Stopwatch.GetElapsedTime(recovered).TotalSeconds:0.00} s");
        await stayOnFirst.AssertNothingElseAsync(Wire.Disconnected(stayOnSecond.Id), "no departure of a peer that never left");
        await stayOnSecond.AssertNothingElseAsync(Wire.Disconnected(stayOnFirst.Id), "no departure of a peer that never left");
    });

    [Fact]
    public Task A_silo_stopped_gracefully_leaves_the_hub_mesh_once_and_drops_out_of_hubs() => OnFreshFleetAsync(async fleet =>
    {
        var watchers = await WatchHubNamespaceAsync(fleet);

        // The silo that holds the hub namespace's network grain: the grain that tells the members stops with it.
        var stopped = await SiloHoldingTheOnlyAsync(fleet, "network");
        var resumesBefore = fleet.Gateways.Select(gateway => SubscriptionResumes(gateway).Count).ToList();
        // With the stream transport the notice travels through the stopping silo's own stream queue and may be lost
        // with it (documented limitation); it must still never arrive twice.
        await AssertLeavesAsync(fleet, watchers, stopped, "stopped (SIGTERM)", "Silo shutting down", noticeMayBeLost: transport == PushTransport.Stream, async () =>
        {
            var exitCode = await fleet.StopSiloAsync(stopped);
            Assert.True(exitCode == 0, $"Expected {fleet.Silos[stopped].Name} to exit with 0 after SIGTERM; it exited with {exitCode}. {fleet.Silos[stopped].Process!.DescribeOutput()}");
        });

        if (transport == PushTransport.Stream)
        {
            // Each gateway resumes its stream subscription when a silo leaves; the subscription, kept in Redis, must
            // have outlived the silo (kept in memory, about half of them were lost with it: every push to that gateway
            // was dropped until the gateway subscribed again).
            for (var i = 0; i < fleet.Gateways.Count; i++)
            {
                var gateway = fleet.Gateways[i];
                var before = resumesBefore[i];
                var resumes = await Poll.UntilAsync(() => Task.FromResult(SubscriptionResumes(gateway)), lines => lines.Count > before,
                    $"{gateway.Name} to resume its push stream subscription after the silo left", HubDepartureBound,
                    lines => $"{lines.Count} resume lines, {before} before the stop");
                var lost = resumes.Value!.Skip(before).Where(line => line.Contains("had lost", StringComparison.Ordinal)).ToList();
                Assert.True(lost.Count == 0, $"Expected {gateway.Name}'s subscription to survive the stopped silo; it logged: {string.Join(" | ", lost)}");
            }
        }
    });

    [Fact]
    public Task A_silo_killed_outright_leaves_the_hub_mesh_once_and_drops_out_of_hubs() => OnFreshFleetAsync(async fleet =>
    {
        var watchers = await WatchHubNamespaceAsync(fleet);

        // The silo that holds the hub namespace's network grain: the grain that tells the members dies with it.
        var killed = await SiloHoldingTheOnlyAsync(fleet, "network");
        await AssertLeavesAsync(fleet, watchers, killed, "killed", "Silo unavailable", noticeMayBeLost: false, () => fleet.KillSiloAsync(killed));
    });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="test"/> on a fleet of its own; when it fails, the output shows what every process logged last.</summary>
    private async Task OnFreshFleetAsync(Func<Fleet, Task> test)
    {
        var started = Stopwatch.GetTimestamp();
        _fleet = await Fleet.StartAsync(transport);
        output.WriteLine($"{transport}: fleet {_fleet.ClusterId} ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        try
        {
            await test(_fleet);
        }
        catch
        {
            output.WriteLine(_fleet.DescribeOutputs());
            throw;
        }
    }

    /// <summary>A peer on each gateway, announced in the hub namespace, that has discovered every silo's hub.</summary>
    private async Task<List<TestPeer>> WatchHubNamespaceAsync(Fleet fleet)
    {
        var watchers = new List<TestPeer>();
        foreach (var gateway in fleet.Gateways)
        {
            var watcher = await ConnectAsync(gateway);
            await watcher.AnnounceAsync(HubNamespace);
            await watcher.SyncAsync();
            foreach (var silo in fleet.Silos)
            {
                var discovered = await watcher.ExpectAsync(Wire.Discovered(silo.HubId), $"peer-discovered about the hub of {silo.Name}");
                WireAssert.PeerDiscovered(discovered.Message, silo.HubId, isHub: true, HubNamespace, watcher.Id);
            }

            watchers.Add(watcher);
        }

        return watchers;
    }

    /// <summary>
    /// Ends silo <paramref name="index"/> with <paramref name="end"/>; every watcher (a member of the hub namespace)
    /// gets exactly one <c>peer-disconnected</c> for its hub, and both gateways' <c>/hubs</c> drop it.
    /// </summary>
    private async Task AssertLeavesAsync(Fleet fleet, IReadOnlyList<TestPeer> watchers, int index, string how, string reason, bool noticeMayBeLost, Func<Task> end)
    {
        var silo = fleet.Silos[index];
        var ended = Stopwatch.GetTimestamp();
        await end();
        foreach (var gateway in fleet.Gateways)
        {
            await Poll.UntilAsync(gateway.HubIdsAsync, hubs => hubs is not null && !hubs.Contains(silo.HubId),
                $"{gateway.Name}'s /hubs to drop the hub of the {how} {silo.Name} ({silo.HubId})", HubDepartureBound,
                hubs => hubs is null ? "no answer" : $"[{string.Join(", ", hubs)}]");
            output.WriteLine($"{transport}: {gateway.Name}'s /hubs dropped the hub of the {how} {silo.Name} by {Stopwatch.GetElapsedTime(ended).TotalSeconds:0.00} s after");
        }

        foreach (var watcher in noticeMayBeLost ? [] : watchers)
        {
            var left = await watcher.ExpectAsync(Wire.Disconnected(silo.HubId), $"peer-disconnected about the hub of the {how} {silo.Name}", HubDepartureBound);
            WireAssert.PeerDisconnected(left.Message, silo.HubId, HubNamespace, watcher.Id, isHub: true);
            WireAssert.Str(left.Message.GetProperty("data"), "reason", reason);
            output.WriteLine($"{transport}: the hub of the {how} {silo.Name} left the hub namespace {Stopwatch.GetElapsedTime(ended, left.ReceivedTimestamp).TotalSeconds:0.00} s after");
        }

        await SettleAsync(fleet.Gateways[0], HubNamespace, [.. watchers]);
        foreach (var watcher in watchers)
        {
            if (noticeMayBeLost)
            {
                var notices = watcher.Frames.Count(frame => Wire.Disconnected(silo.HubId)(frame.Message));
                output.WriteLine($"{transport}: {watcher.Id} got {notices} peer-disconnected about the hub of the {how} {silo.Name}");
                Assert.True(notices <= 1, $"Expected at most one peer-disconnected about the hub of the {how} {silo.Name}; got {notices}");
                continue;
            }

            await watcher.AssertNothingElseAsync(Wire.About(silo.HubId), $"exactly one peer-disconnected about the hub of the {how} {silo.Name}");
        }
    }

    /// <summary>Sends an offer with the next sequence number every <see cref="SendPeriod"/> until stopped; records each send's time.</summary>
    private static async Task SendSteadilyAsync(TestPeer sender, TestPeer target, string network, List<long> sent, CancellationToken stop)
    {
        using var period = new PeriodicTimer(SendPeriod);
        try
        {
            do
            {
                var seq = sent.Count;
                sent.Add(Stopwatch.GetTimestamp());
                await sender.SignalAsync("offer", target, $$"""{"type":"offer","sdp":"v=0","seq":{{seq.ToString(CultureInfo.InvariantCulture)}}}""", network);
            }
            while (await period.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Waits (bounded) until the offer numbered <paramref name="last"/> arrived and returns every offer from
    /// <paramref name="sender"/>, in arrival order.
    /// </summary>
    private static async Task<IReadOnlyList<ReceivedFrame>> WaitForSequenceAsync(TestPeer target, TestPeer sender, int last)
    {
        var isOffer = Wire.Relayed("offer", sender.Id);
        await Poll.UntilAsync(() => Task.FromResult(Offers().ToList()),
            offers => offers.Any(frame => SequenceOf(frame) == last),
            $"offer #{last} (the last sent) to arrive", LastDeliveryBound,
            offers => $"{offers.Count} offers arrived, the last #{(offers.Count > 0 ? SequenceOf(offers[^1]) : -1)}");
        return [.. Offers()];

        IEnumerable<ReceivedFrame> Offers() => target.Frames.Where(frame => frame.Json is { } json && isOffer(json));
    }

    private static int SequenceOf(ReceivedFrame frame) => frame.Message.GetProperty("data").GetProperty("seq").GetInt32();

    /// <summary>The index of the silo holding the fleet's only <paramref name="grainType"/> grain (see <see cref="Fleet.SiloHoldingTheOnlyAsync"/>).</summary>
    private async Task<int> SiloHoldingTheOnlyAsync(Fleet fleet, string grainType)
    {
        var index = await fleet.SiloHoldingTheOnlyAsync(grainType);
        output.WriteLine($"{transport}: the {grainType} grain is on {fleet.Silos[index].Name}");
        return index;
    }

    /// <summary>What a gateway logged each time it resumed its push stream subscription (or had to subscribe again).</summary>
    private static IReadOnlyList<string> SubscriptionResumes(FleetGateway gateway) =>
        gateway.Process!.Process.LinesMatching(SubscriptionResumeLine());

    [GeneratedRegex("resumed its push stream subscription|had lost its push stream subscription")]
    private static partial Regex SubscriptionResumeLine();

    private static string DescribeHealth((HttpStatusCode Status, System.Text.Json.JsonElement Body)? health) =>
        health is { } answer ? $"{(int)answer.Status} {answer.Body.GetRawText()}" : "no answer";
}
