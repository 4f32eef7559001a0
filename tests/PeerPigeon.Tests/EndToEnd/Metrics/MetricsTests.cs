using System.Globalization;
using System.Net;
using PeerPigeon.Gateway.Diagnostics;
using PeerPigeon.Grains.Diagnostics;

namespace PeerPigeon.Tests.EndToEnd.Metrics;

/// <summary>
/// docs/operations.md, Metrics: each instrument the gateway and its embedded silo add is recorded by the behaviour it
/// describes, and the Prometheus scrape at <c>/metrics</c> carries them next to Orleans' own.
/// </summary>
public abstract class MetricsTests(ServerFixture fixture) : EndToEndTest
{
    private const int FloodFrameDataBytes = 16 * 1024;

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task A_relay_between_two_peers_of_one_gateway_records_its_duration_on_the_local_path()
    {
        using var duration = Record(GatewayInstruments.MeterName, "peerpigeon.relay.duration");
        var pair = await GroupAsync(Server, 2);

        await AssertRelaysAsync(pair[0], pair[1]);

        var recorded = await duration.WaitUntilAsync(measurements => measurements.Count(IsLocal) >= 2, "two relay durations with path=local");
        Assert.All(recorded.Where(IsLocal), measurement => Assert.InRange(measurement.Value, 0, TestPeer.DefaultTimeout.TotalMilliseconds));
    }

    [Fact]
    public async Task Signaling_for_an_absent_peer_is_timed_on_the_cluster_path_queued_and_counted_delivered_when_taken_at_attach_and_announce()
    {
        using var duration = Record(GatewayInstruments.MeterName, "peerpigeon.relay.duration");
        using var queued = Record(GrainInstruments.MeterName, "peerpigeon.mailbox.queued");
        using var delivered = Record(GrainInstruments.MeterName, "peerpigeon.mailbox.delivered");
        var network = Ids.NewNetwork();
        var globalSender = await ConnectAsync(Server);
        var networkSender = await JoinAsync(Server, network, []);
        var targetId = Ids.NewPeerId();

        await globalSender.SignalAsync("offer", targetId, """{"sdp":"global"}""");
        await networkSender.SignalAsync("offer", targetId, """{"sdp":"network"}""", network);
        await globalSender.SyncAsync();
        await networkSender.SyncAsync();

        await duration.WaitUntilAsync(measurements => measurements.Count(IsCluster) >= 2, "two relay durations with path=cluster");
        await queued.WaitForSumAsync(2, "both offers queued in the absent target's mailbox");

        var target = await ConnectAsync(Server, targetId);
        await target.ExpectAsync(Wire.Relayed("offer", globalSender.Id), "the global offer from the mailbox at attach");
        await delivered.WaitForSumAsync(1, "the global offer taken from the mailbox at attach");

        await target.AnnounceAsync(network);
        await target.ExpectAsync(Wire.Relayed("offer", networkSender.Id), "the network offer from the mailbox at announce");
        await delivered.WaitForSumAsync(2, "the network offer taken from the mailbox at announce too");
    }

    [Fact]
    public async Task Signaling_beyond_the_mailbox_capacity_is_counted_rejected()
    {
        using var queued = Record(GrainInstruments.MeterName, "peerpigeon.mailbox.queued");
        using var rejected = Record(GrainInstruments.MeterName, "peerpigeon.mailbox.rejected");
        var sender = await ConnectAsync(Server);
        var absent = Ids.NewPeerId();

        for (var i = 0; i < 3; i++)
        {
            await sender.SignalAsync("ice-candidate", absent, $$"""{"seq":{{i}}}""");
        }

        await sender.ExpectAsync(Wire.Error("its mailbox is full"), "the mailbox-full error for the third message (MAILBOX_CAPACITY=2)");
        await queued.WaitForSumAsync(2, "two messages queued");
        await rejected.WaitForSumAsync(1, "the third message rejected");
    }

    [Fact]
    public async Task Signaling_that_runs_out_of_time_in_a_mailbox_is_counted_expired()
    {
        using var expired = Record(GrainInstruments.MeterName, "peerpigeon.mailbox.expired");
        var sender = await ConnectAsync(Server);
        var absent = Ids.NewPeerId();

        await sender.SignalAsync("offer", absent, """{"sdp":"lost"}""");

        await sender.ExpectAsync(Wire.Error($"Peer {absent} is not connected"), "the expiry error", TimeSpan.FromSeconds(6));
        await expired.WaitForSumAsync(1, "the offer counted as expired");
    }

    [Fact]
    public async Task Each_announce_records_how_many_members_are_told_about_the_announcer()
    {
        using var fanout = Record(GrainInstruments.MeterName, "peerpigeon.discovery.fanout");

        await GroupAsync(Server, 3);

        var recorded = await fanout.WaitUntilAsync(measurements => measurements.Any(measurement => measurement.Value == 2),
            "a fan-out of 2 for the third member of the group");
        Assert.Equal([0d, 1d, 2d], recorded.Select(measurement => measurement.Value).Take(3));
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_counted_as_a_send_queue_overflow()
    {
        using var overflows = Record(GatewayInstruments.MeterName, "peerpigeon.send_queue.overflows");
        var network = Ids.NewNetwork();
        var flooder = await JoinAsync(Server, network, []);
        var stalledId = Ids.NewPeerId();
        using var stalled = await OpenRawAsync(Server, stalledId, receiveBufferSize: 4096);
        await stalled.SendTextAsync(Wire.Announce(stalledId, network));
        await flooder.ExpectAsync(Wire.Discovered(stalledId), "peer-discovered about the stalled peer");

        // Far more than SEND_QUEUE_BYTES plus every kernel buffer on the way (as in SendQueueTests).
        var padding = new string('x', FloodFrameDataBytes);
        for (var i = 0; i < 16 * 1024 * 1024 / FloodFrameDataBytes; i++)
        {
            await flooder.SendAsync(Wire.Signal("ice-candidate", stalledId, $$"""{"seq":{{i}},"pad":"{{padding}}"}""", network));
        }

        await flooder.SyncAsync();
        var (code, reason, _) = await stalled.ReadUntilClosedAsync();
        Assert.True(code == 1008 && reason == "Send queue full",
            $"expected close 1008 'Send queue full', got {code?.ToString(CultureInfo.InvariantCulture) ?? "no close frame"} '{reason}'");

        var recorded = await overflows.WaitForSumAsync(1, "one send-queue overflow");
        Assert.Equal(1, MetricRecorder.Sum(recorded));
    }

    [Fact]
    public async Task The_Prometheus_scrape_has_relay_duration_buckets_discovery_fanout_Orleans_and_runtime_series()
    {
        var pair = await GroupAsync(Server, 2);
        await AssertRelaysAsync(pair[0], pair[1]);

        var lines = Array.Empty<string>();
        await EventuallyAsync(async () =>
        {
            lines = await ScrapeAsync();
            return lines.Any(line => IsBucket(line, "peerpigeon_relay_duration")) && lines.Any(line => IsBucket(line, "peerpigeon_discovery_fanout"));
        }, "relay-duration and discovery-fanout bucket lines in GET /metrics (Accept: text/plain)");

        // The advised boundaries, not the SDK's defaults (which start at 0, 5, 10 ms).
        Assert.Contains(lines, line => IsBucket(line, "peerpigeon_relay_duration") && line.Contains("le=\"0.25\"", StringComparison.Ordinal));
        var names = string.Join(", ", lines.Where(line => !line.StartsWith('#')).Select(line => line.Split('{', ' ')[0]).Distinct());
        Assert.True(lines.Any(line => line.StartsWith("orleans_", StringComparison.Ordinal)),
            $"expected an Orleans series (a line starting with orleans_); got the names: {names}");
        Assert.True(lines.Any(line => line.StartsWith("dotnet_process_memory_working_set_bytes", StringComparison.Ordinal)),
            $"expected the runtime's working-set series (dotnet_process_memory_working_set_bytes); got the names: {names}");
    }

    private static bool IsLocal(RecordedMeasurement measurement) => measurement.Tag("path") == "local";

    private static bool IsCluster(RecordedMeasurement measurement) => measurement.Tag("path") == "cluster";

    private static bool IsBucket(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains("_bucket{", StringComparison.Ordinal);

    private MetricRecorder Record(string meterName, string instrumentName) => new(Server.Services, meterName, instrumentName);

    private async Task<string[]> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "text/plain");
        using var response = await Server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /metrics: expected 200, got {(int)response.StatusCode}: {body}");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
