using System.Net.WebSockets;

namespace PeerPigeon.Tests.EndToEnd.Connections;

/// <summary>PROTOCOL.md §1 and §3 with <c>DUPLICATE_PEER_POLICY=replace</c>.</summary>
public abstract class ReplacePolicyTests(ServerFixture fixture) : EndToEndTest
{
    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task A_new_socket_replaces_the_old_one_which_is_closed_with_1008()
    {
        var old = await ConnectAsync(Server);

        var replacement = await ConnectAsync(Server, old.Id);

        await old.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
        var pong = await replacement.SyncAsync();
        WireAssert.Str(pong.Message, "targetPeerId", old.Id);
        await replacement.AssertNothingElseAsync();
    }

    [Fact]
    public async Task The_replacement_works_and_the_network_sees_one_peer_disconnected_then_a_peer_discovered()
    {
        var network = Ids.NewNetwork();
        var observer = await JoinAsync(Server, network, []);
        var old = await JoinAsync(Server, network, [observer]);

        var replacement = await ConnectAsync(Server, old.Id);
        await old.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
        await replacement.AnnounceAsync(network);

        var departed = await observer.ExpectAsync(Wire.Disconnected(old.Id), "peer-disconnected about the replaced socket");
        var discovered = await observer.ExpectAsync(Wire.Discovered(old.Id), "peer-discovered about the replacement");
        Assert.True(departed.Index < discovered.Index, "peer-disconnected must come before the new peer-discovered");
        WireAssert.Str(departed.Message, "networkName", network);
        WireAssert.AnyString(departed.Message.GetProperty("data"), "reason");
        await replacement.ExpectAsync(Wire.Discovered(observer.Id), "peer-discovered about the observer");
        await AssertRelaysAsync(replacement, observer);

        await SettleAsync(Server, network, observer, replacement);
        await observer.AssertNothingElseAsync(Wire.About(old.Id), "exactly one peer-disconnected and one peer-discovered");
        await replacement.AssertNothingElseAsync();
    }

    [Fact]
    public async Task A_replaced_peer_that_had_not_announced_causes_no_departure()
    {
        var network = Ids.NewNetwork();
        var observer = await JoinAsync(Server, network, []);
        var old = await ConnectAsync(Server);

        await ConnectAsync(Server, old.Id);
        await old.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");

        await SettleAsync(Server, network, observer);
        await observer.AssertNothingElseAsync(Wire.About(old.Id));
    }
}
