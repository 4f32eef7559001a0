using System.Net.WebSockets;

namespace PeerPigeon.Tests.EndToEnd.Connections;

/// <summary>PROTOCOL.md §1: <c>MAX_CONNECTIONS</c> per gateway (the fixture sets 3).</summary>
public abstract class MaxConnectionsTests(ServerFixture fixture) : EndToEndTest
{
    private const int MaxConnections = 3;

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task The_socket_over_MAX_CONNECTIONS_is_closed_with_1008_after_the_upgrade()
    {
        await WaitForConnectionsAsync(0);
        var peers = new List<TestPeer>();
        for (var i = 0; i < MaxConnections; i++)
        {
            peers.Add(await ConnectAsync(Server));
        }

        var id = Ids.NewPeerId();
        var refused = await OpenAsync(Server, $"/?peerId={id}", id);

        await refused.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Maximum connections reached");
        Assert.Empty(refused.Frames);
        foreach (var peer in peers)
        {
            await peer.AssertNothingElseAsync();
        }
    }

    [Fact]
    public async Task A_freed_slot_can_be_taken_again()
    {
        await WaitForConnectionsAsync(0);
        var peers = new List<TestPeer>();
        for (var i = 0; i < MaxConnections; i++)
        {
            peers.Add(await ConnectAsync(Server));
        }

        await peers[0].CloseAsync();
        await WaitForConnectionsAsync(MaxConnections - 1);

        var late = await ConnectAsync(Server);
        await late.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Rejected_sockets_do_not_hold_a_slot()
    {
        await WaitForConnectionsAsync(0);
        for (var i = 0; i < MaxConnections + 2; i++)
        {
            var invalid = await OpenAsync(Server, "/?peerId=xyz", "(invalid)");
            await invalid.ExpectCloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid peerId format");
        }

        await WaitForConnectionsAsync(0);
        for (var i = 0; i < MaxConnections; i++)
        {
            await ConnectAsync(Server);
        }
    }

    private Task WaitForConnectionsAsync(int count) => EventuallyAsync(async () =>
    {
        var (_, health) = await GetJsonAsync(Server, "/health");
        return health.GetProperty("connections").GetInt32() == count;
    }, $"/health to report {count} open connections");
}
