using System.Diagnostics;
using System.Globalization;

namespace PeerPigeon.Tests.EndToEnd.KeepAlive;

/// <summary>
/// PROTOCOL.md §1 liveness: the server pings every <c>KEEPALIVE_INTERVAL_MS</c> and closes a socket that sends
/// nothing, not even a pong, for <c>PEER_TIMEOUT_MS</c> (the fixture sets 200 and 3000 ms: fifteen pings per timeout, so a loaded machine cannot make a responsive client look silent).
/// </summary>
public abstract class KeepAliveTests(ServerFixture fixture) : EndToEndTest
{
    protected GatewayServer Server => fixture.Server;

    private TimeSpan PeerTimeout => TimeSpan.FromMilliseconds(int.Parse(fixture.Settings["PEER_TIMEOUT_MS"]!, CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_socket_that_never_answers_pings_is_closed_and_its_network_is_told()
    {
        var network = Ids.NewNetwork();
        var observer = await JoinAsync(Server, network, []);
        var silentId = Ids.NewPeerId();
        using var silent = await OpenRawAsync(Server, silentId);
        var silence = Stopwatch.StartNew();
        await silent.SendTextAsync(Wire.Announce(silentId, network));
        await observer.ExpectAsync(Wire.Discovered(silentId), "peer-discovered about the silent peer");

        var departed = await observer.ExpectAsync(Wire.Disconnected(silentId), "peer-disconnected about the silent peer after the timeout");
        Assert.True(silence.Elapsed >= PeerTimeout * 0.9, $"closed after {silence.ElapsedMilliseconds} ms of silence, before PEER_TIMEOUT_MS");

        WireAssert.Str(departed.Message, "networkName", network);
        WireAssert.AnyString(departed.Message.GetProperty("data"), "reason");
        await silent.ReadUntilClosedAsync();
        await SettleAsync(Server, network, observer);
        await observer.AssertNothingElseAsync(Wire.About(silentId), "one peer-disconnected");
    }

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected_past_the_timeout()
    {
        var network = Ids.NewNetwork();
        var responsive = await JoinAsync(Server, network, []);
        var partner = await JoinAsync(Server, network, [responsive]);

        // The silent client connects after the responsive ones: once the server has closed it for silence, the
        // responsive peers have been connected, without sending anything, for longer than the timeout.
        var silentId = Ids.NewPeerId();
        using var silent = await OpenRawAsync(Server, silentId);
        var silence = Stopwatch.StartNew();
        var (code, _, _) = await silent.ReadUntilClosedAsync();
        Assert.Null(code);
        Assert.True(silence.Elapsed >= PeerTimeout * 0.9, $"closed after {silence.ElapsedMilliseconds} ms of silence, before PEER_TIMEOUT_MS");

        Assert.False(responsive.HasEnded, "the responsive client must not be closed");
        Assert.False(partner.HasEnded, "the responsive client must not be closed");
        await AssertRelaysAsync(responsive, partner);
        await responsive.AssertNothingElseAsync();
        await partner.AssertNothingElseAsync();
    }
}
