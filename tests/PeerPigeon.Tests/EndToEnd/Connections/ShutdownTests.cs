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
}
