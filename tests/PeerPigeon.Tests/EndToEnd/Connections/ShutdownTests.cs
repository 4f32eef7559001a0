using System.Net.WebSockets;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Connections;

/// <summary>PROTOCOL.md §1: a server shutting down closes its sockets with 1001. Each test starts and stops its own server.</summary>
public abstract class ShutdownTests(PushTransport transport) : EndToEndTest
{
    [Fact]
    public async Task Shutting_down_closes_every_socket_with_1001()
    {
        await using var server = await GatewayServer.StartAsync(ServerFixture.BaseSettings(transport));
        var network = Ids.NewNetwork();
        var announced = await JoinAsync(server, network, []);
        var other = await JoinAsync(server, network, [announced]);
        var idle = await ConnectAsync(server);

        await server.StopAsync();

        foreach (var peer in new[] { announced, other, idle })
        {
            await peer.ExpectCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
        }
    }

    [Fact]
    public async Task Shutting_down_never_blocks_the_thread_that_stops_the_server()
    {
        var server = await GatewayServer.StartAsync(ServerFixture.BaseSettings(transport));
        var peer = await ConnectAsync(server); // an open socket, so the shutdown drain has something to wait for

        // Stopped from a thread that also runs the continuations it schedules (as xUnit's threads do): a drain that
        // waited synchronously for its own continuations would never finish.
        await Bounded.WaitAsync(SingleThreadContext.RunAsync(server.StopAsync), StopBound, () =>
            $"Expected the server to stop within {StopBound.TotalSeconds:0} s when stopped from a single-threaded synchronization context; it was still stopping (the stopping thread is blocked).");

        await peer.ExpectCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
        await server.DisposeAsync();
    }

    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
}
