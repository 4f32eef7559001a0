using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.Departures;

/// <summary>PROTOCOL.md §3: exactly one <c>peer-disconnected</c> per departure, to that network only.</summary>
public abstract class DepartureTests(ServerFixture fixture) : EndToEndTest
{
    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task A_closed_socket_is_announced_once_to_its_network_only()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 3, network);
        var outsider = await JoinAsync(Server, Ids.NewNetwork(), []);
        var leaver = members[0];

        await leaver.CloseAsync("Client disconnect");

        await ExpectOneDepartureAsync(network, leaver.Id, members[1], members[2]);
        await outsider.AssertNothingElseAsync(context: "other networks are not told");
    }

    [Fact]
    public async Task An_aborted_connection_is_announced_once()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 2, network);

        members[0].Abort();

        await ExpectOneDepartureAsync(network, members[0].Id, members[1]);
    }

    [Fact]
    public async Task A_goodbye_then_close_is_announced_once()
    {
        var network = Ids.NewNetwork();
        var members = await GroupAsync(Server, 2, network);
        var leaver = members[0];

        await leaver.SendAsync(Wire.GoodbyeMessage(leaver.Id, network));
        await members[1].ExpectAsync(Wire.Goodbye(leaver.Id), "the goodbye");
        await leaver.CloseAsync("Client disconnect");

        await ExpectOneDepartureAsync(network, leaver.Id, members[1]);
    }

    [Fact]
    public async Task A_peer_that_never_announced_leaves_silently()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var silent = await ConnectAsync(Server);

        await silent.CloseAsync();

        await SettleAsync(Server, network, member);
        await member.AssertNothingElseAsync(Wire.About(silent.Id));
    }

    [Fact]
    public async Task A_hub_departure_says_isHub_true()
    {
        var network = Ids.NewNetwork();
        var member = await JoinAsync(Server, network, []);
        var hub = await JoinAsync(Server, network, [member], extraData: "\"isHub\":true");

        await hub.CloseAsync();

        var departed = await member.ExpectAsync(Wire.Disconnected(hub.Id), "peer-disconnected about the hub");
        WireAssert.Bool(departed.Message.GetProperty("data"), "isHub", true);
    }

    /// <summary>Each observer gets one exact <c>peer-disconnected</c> about <paramref name="leaverId"/>, and no second one.</summary>
    private async Task ExpectOneDepartureAsync(string network, string leaverId, params TestPeer[] observers)
    {
        foreach (var observer in observers)
        {
            var departed = await observer.ExpectAsync(Wire.Disconnected(leaverId), $"peer-disconnected at {observer.Id}");
            WireAssert.PeerDisconnected(departed.Message, leaverId, network, observer.Id);
        }

        await SettleAsync(Server, network, observers);
        foreach (var observer in observers)
        {
            await observer.AssertNothingElseAsync(Wire.About(leaverId), "exactly one peer-disconnected per departure");
        }
    }
}
