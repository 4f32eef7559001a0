using System.Net.WebSockets;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// The base of every end-to-end test class: opens peers, remembers them and closes them all when the test ends
/// (xUnit creates one instance per test).
/// </summary>
public abstract class EndToEndTest : IAsyncLifetime
{
    private readonly List<TestPeer> _peers = [];
    private readonly List<RawWebSocketClient> _rawClients = [];

    /// <summary>Opens a socket on <paramref name="pathAndQuery"/> without expecting anything yet.</summary>
    protected async Task<TestPeer> OpenAsync(IGateway server, string pathAndQuery, string id, Action<ClientWebSocketOptions>? configure = null)
    {
        var peer = await TestPeer.OpenAsync(server.WebSocketUri(pathAndQuery), id, configure);
        lock (_peers)
        {
            _peers.Add(peer);
        }

        return peer;
    }

    /// <summary>Connects a peer (a fresh id unless given) and claims its <c>connected</c> frame.</summary>
    protected async Task<TestPeer> ConnectAsync(IGateway server, string? id = null, Action<ClientWebSocketOptions>? configure = null)
    {
        id ??= Ids.NewPeerId();
        var peer = await OpenAsync(server, $"/?peerId={id}", id, configure);
        await peer.ExpectAsync(Wire.IsType("connected"), "connected");
        return peer;
    }

    /// <summary>
    /// Connects a peer and announces it into <paramref name="network"/>, whose current members are
    /// <paramref name="members"/>; claims the discovery frames on both sides, so every inbox is clean afterwards.
    /// </summary>
    protected async Task<TestPeer> JoinAsync(IGateway server, string network, IReadOnlyCollection<TestPeer> members, string? id = null, string? extraData = null)
    {
        var peer = await ConnectAsync(server, id);
        await AnnounceAsync(peer, network, members, extraData);
        return peer;
    }

    /// <summary>
    /// Announces <paramref name="peer"/> into a network whose members are <paramref name="members"/>, claiming
    /// discovery on both sides; returns once the server has handled the announce (a ping after it was answered).
    /// </summary>
    protected static async Task AnnounceAsync(TestPeer peer, string network, IReadOnlyCollection<TestPeer> members, string? extraData = null)
    {
        await peer.AnnounceAsync(network, extraData);
        await peer.SyncAsync();
        foreach (var member in members)
        {
            await member.ExpectAsync(InNetwork(Wire.Discovered(peer.Id), network), $"peer-discovered about {peer.Id} in {network}");
            await peer.ExpectAsync(InNetwork(Wire.Discovered(member.Id), network), $"peer-discovered about {member.Id} in {network}");
        }
    }

    /// <summary>Connects <paramref name="count"/> peers into a fresh network (or <paramref name="network"/>) with clean inboxes.</summary>
    protected async Task<List<TestPeer>> GroupAsync(IGateway server, int count, string? network = null)
    {
        network ??= Ids.NewNetwork();
        var members = new List<TestPeer>();
        for (var i = 0; i < count; i++)
        {
            members.Add(await JoinAsync(server, network, members));
        }

        return members;
    }

    /// <summary>
    /// A sync point through the network: a fresh marker peer announces into <paramref name="network"/> and every
    /// observer waits for its <c>peer-discovered</c>. The network pushes in order, so everything it pushed to the
    /// observers before (departures, goodbyes) has arrived. The marker stays a member until the test ends.
    /// </summary>
    protected async Task<TestPeer> SettleAsync(IGateway server, string network, params TestPeer[] observers)
    {
        var marker = await ConnectAsync(server);
        await marker.AnnounceAsync(network);
        foreach (var observer in observers)
        {
            await observer.ExpectAsync(Wire.Discovered(marker.Id), $"peer-discovered about the sync marker {marker.Id}");
        }

        return marker;
    }

    /// <summary>Opens a hand-made WebSocket client (for behaviour a browser never shows: never reading, never answering pings).</summary>
    protected async Task<RawWebSocketClient> OpenRawAsync(IGateway server, string peerId, int? receiveBufferSize = null)
    {
        var client = await RawWebSocketClient.ConnectAsync(server.BaseAddress, $"/?peerId={peerId}", receiveBufferSize);
        lock (_rawClients)
        {
            _rawClients.Add(client);
        }

        return client;
    }

    /// <summary>Sends a relay each way between two peers of one network and checks that both arrive.</summary>
    protected static async Task AssertRelaysAsync(TestPeer a, TestPeer b)
    {
        var probe = Guid.NewGuid().ToString("N");
        await a.SignalAsync("offer", b, $$"""{"type":"offer","sdp":"{{probe}}"}""");
        await b.ExpectAsync(message => Wire.Relayed("offer", a.Id)(message) && message.GetProperty("data").GetRawText().Contains(probe, StringComparison.Ordinal),
            $"the offer {probe} from {a.Id}");
        await b.SignalAsync("answer", a, $$"""{"type":"answer","sdp":"{{probe}}"}""");
        await a.ExpectAsync(message => Wire.Relayed("answer", b.Id)(message) && message.GetProperty("data").GetRawText().Contains(probe, StringComparison.Ordinal),
            $"the answer {probe} from {b.Id}");
    }

    /// <summary>Restricts a matcher to frames whose <c>networkName</c> is <paramref name="network"/>.</summary>
    protected static Func<JsonElement, bool> InNetwork(Func<JsonElement, bool> match, string network) =>
        message => match(message) && Wire.Str(message, "networkName") == network;

    /// <summary>GETs <paramref name="path"/> and parses the JSON body.</summary>
    protected static async Task<(HttpResponseMessage Response, JsonElement Body)> GetJsonAsync(IGateway server, string path)
    {
        var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return (response, JsonDocument.Parse(text).RootElement);
        }
        catch (JsonException)
        {
            Assert.Fail($"GET {path}: expected JSON, got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, bounded; for state only observable by polling (HTTP figures).</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string expectation, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestPeer.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        var attempts = 1;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {expectation} within {limit.TotalSeconds:0.#} s; it did not hold in {attempts} checks.");
            }

            await poll.WaitForNextTickAsync();
            attempts++;
        }
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        List<TestPeer> peers;
        lock (_peers)
        {
            peers = [.. _peers];
        }

        await Task.WhenAll(peers.Select(peer => peer.DisposeAsync().AsTask()));
        foreach (var client in _rawClients)
        {
            client.Dispose();
        }
    }
}
