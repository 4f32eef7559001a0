using System.Globalization;

namespace PeerPigeon.Tests.EndToEnd.SendQueue;

/// <summary>
/// A peer that stops reading is closed with 1008 <c>Send queue full</c> instead of growing the server's memory (the
/// fixture sets the smallest <c>SEND_QUEUE_BYTES</c>, 64 KiB), and the server stays healthy.
/// </summary>
public abstract class SendQueueTests(ServerFixture fixture) : EndToEndTest
{
    private const int FrameDataBytes = 16 * 1024;

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task A_peer_that_stops_reading_is_closed_with_1008_and_the_server_stays_healthy()
    {
        var network = Ids.NewNetwork();
        var flooder = await JoinAsync(Server, network, []);
        var stalledId = Ids.NewPeerId();

        // A small receive window: the kernel buffers little for the stalled reader, so the server's queue fills soon.
        using var stalled = await OpenRawAsync(Server, stalledId, receiveBufferSize: 4096);
        await stalled.SendTextAsync(Wire.Announce(stalledId, network));
        await flooder.ExpectAsync(Wire.Discovered(stalledId), "peer-discovered about the stalled peer");

        // Far more than the queue plus every kernel buffer on the way (at most a few MiB on loopback).
        var flood = 16 * 1024 * 1024 / FrameDataBytes;
        var padding = new string('x', FrameDataBytes);
        for (var i = 0; i < flood; i++)
        {
            await flooder.SendAsync(Wire.Signal("ice-candidate", stalledId, $$"""{"seq":{{i}},"pad":"{{padding}}"}""", network));
        }

        // Every relay has been handled once the flooder's ping is answered: the queue has overflowed by now.
        await flooder.SyncAsync();
        var (code, reason, frames) = await stalled.ReadUntilClosedAsync();

        Assert.True(code == 1008 && reason == "Send queue full",
            $"expected close 1008 'Send queue full' after the queued frames, got {code?.ToString(CultureInfo.InvariantCulture) ?? "no close frame"} '{reason}' after {frames} text frames");
        Assert.True(frames < flood, "the server discarded the frames it could not queue");
        var departed = await flooder.ExpectAsync(Wire.Disconnected(stalledId), "peer-disconnected about the stalled peer");
        WireAssert.Str(departed.Message, "networkName", network);

        await AssertHealthyAsync(flooder);
    }

    private async Task AssertHealthyAsync(TestPeer survivor)
    {
        await survivor.SyncAsync();
        var (response, health) = await GetJsonAsync(Server, "/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        WireAssert.Str(health, "status", "healthy");
        var pair = await GroupAsync(Server, 2);
        await AssertRelaysAsync(pair[0], pair[1]);
    }
}
