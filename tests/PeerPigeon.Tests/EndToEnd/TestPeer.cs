using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A WebSocket client for one peer. A background loop receives every frame, as raw text, into an <see cref="Inbox"/>;
/// expectations claim frames from it in arrival order, and every wait is bounded.
/// </summary>
public sealed class TestPeer : IAsyncDisposable
{
    /// <summary>The bound on every wait unless a test says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket;
    private readonly Inbox _inbox;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private TestPeer(string id, ClientWebSocket socket)
    {
        Id = id;
        _socket = socket;
        _inbox = new Inbox(id);
        _ = ReceiveLoopAsync();
    }

    /// <summary>The peer id this client connected with (as given in the URL).</summary>
    public string Id { get; }

    /// <summary>The close code the server sent, once the socket ended with a close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>The close reason the server sent.</summary>
    public string? CloseDescription { get; private set; }

    /// <summary>Whether the socket has ended (closed or broken).</summary>
    public bool HasEnded => _inbox.Ended.IsCompleted;

    /// <summary>A snapshot of every frame received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedFrame> Frames => _inbox.Snapshot();

    /// <summary>
    /// Opens a WebSocket to <paramref name="uri"/>. The upgrade must succeed; what the server does after it is up to
    /// the test (<see cref="ExpectAsync"/>, <see cref="ExpectCloseAsync"/>).
    /// </summary>
    public static async Task<TestPeer> OpenAsync(Uri uri, string id, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TestPeer(id, socket);
    }

    /// <summary>
    /// Attempts an upgrade that the server must refuse before it happens; returns the HTTP status it answered with.
    /// </summary>
    public static async Task<int> RefusedStatusAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }

        Assert.Fail($"Expected the upgrade to {uri} to be refused, but it succeeded.");
        return 0;
    }

    public Task SendAsync(string raw) => SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Text);

    public Task SendBinaryAsync(string raw) => SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Binary);

    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends the announce the official client sends: <c>{type, data:{peerId, …extra}, maxPeers, networkName}</c>.</summary>
    /// <param name="extraData">More members of <c>data</c> as raw JSON, e.g. <c>"nickname":"bob"</c>.</param>
    public Task AnnounceAsync(string network, string? extraData = null) =>
        SendAsync(Wire.Announce(Id, network, extraData));

    /// <summary>Sends a targeted message (offer, answer, …) to <paramref name="target"/> with raw <paramref name="data"/>.</summary>
    public Task SignalAsync(string type, TestPeer target, string data = """{"sdp":"v=0"}""", string? network = null) =>
        SignalAsync(type, target.Id, data, network);

    /// <summary>Sends a targeted message to the peer id <paramref name="targetPeerId"/> (connected or not).</summary>
    public Task SignalAsync(string type, string targetPeerId, string data = """{"sdp":"v=0"}""", string? network = null) =>
        SendAsync(Wire.Signal(type, targetPeerId, data, network));

    /// <summary>
    /// Waits for the first frame not yet expected that satisfies <paramref name="match"/>, claims it and returns it.
    /// Frames that do not match stay in the inbox for later expectations.
    /// </summary>
    public Task<ReceivedFrame> ExpectAsync(Func<JsonElement, bool> match, string expectation, TimeSpan? timeout = null) =>
        _inbox.ExpectAsync(0, match, expectation, timeout ?? DefaultTimeout);

    /// <summary>Waits for <paramref name="count"/> matching frames, claims them and returns them in arrival order.</summary>
    public async Task<IReadOnlyList<ReceivedFrame>> ExpectManyAsync(int count, Func<JsonElement, bool> match, string expectation, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var frames = new List<ReceivedFrame>(count);
        for (var i = 0; i < count; i++)
        {
            var remaining = deadline - DateTime.UtcNow;
            frames.Add(await _inbox.ExpectAsync(0, match, $"{expectation} (#{i + 1} of {count})", remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero));
        }

        return frames;
    }

    /// <summary>Waits until the server closes the socket and checks the close code and, when given, the reason.</summary>
    public async Task ExpectCloseAsync(WebSocketCloseStatus code, string? reason, TimeSpan? timeout = null)
    {
        var expectation = $"a close frame {(int)code} '{reason ?? "<any reason>"}'";
        await ExpectEndAsync(expectation, timeout);
        if (CloseStatus != code || (reason is not null && CloseDescription != reason))
        {
            Assert.Fail($"Peer {Id}: expected {expectation}, but the socket ended with {_inbox.EndDescription}. {_inbox.Describe()}");
        }
    }

    /// <summary>
    /// A sync point: sends <c>ping</c> and waits for its <c>pong</c>. The server answers a ping after it has handled
    /// every earlier frame of this socket and queues frames in order, so anything sent to this peer before the pong
    /// has arrived. Fails if a frame arrived before the pong that no expectation claimed and that
    /// <paramref name="relevant"/> selects (every frame by default).
    /// </summary>
    public async Task AssertNothingElseAsync(Func<JsonElement, bool>? relevant = null, string? context = null)
    {
        var pong = await SyncAsync();
        var unexpected = _inbox.Unclaimed(pong.Index, relevant);
        if (unexpected.Count > 0)
        {
            Assert.Fail($"Peer {Id}: expected nothing else{(context is null ? string.Empty : $" ({context})")}, but received:{Environment.NewLine}"
                + string.Join(Environment.NewLine, unexpected.Select(frame => "  " + frame.Describe())));
        }
    }

    /// <summary>Sends <c>ping</c> and returns (claimed) the <c>pong</c> that answers it.</summary>
    public async Task<ReceivedFrame> SyncAsync()
    {
        var after = _inbox.Count;
        await SendAsync("""{"type":"ping"}""");
        return await _inbox.ExpectAsync(after, Wire.IsType("pong"), "the pong answering a ping (sync point)", DefaultTimeout);
    }

    /// <summary>Starts the close handshake and waits, bounded, for the server's close frame.</summary>
    public async Task CloseAsync(string reason = "test done")
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await _inbox.Ended.WaitAsync(CloseTimeout);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Drops the connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (!HasEnded)
        {
            await CloseAsync();
        }

        _socket.Dispose();
        _sendLock.Dispose();
    }

    private Task ExpectEndAsync(string expectation, TimeSpan? timeout)
    {
        var limit = timeout ?? DefaultTimeout;
        return Bounded.WaitAsync(_inbox.Ended, limit, () =>
            $"Peer {Id}: expected {expectation} within {limit.TotalSeconds:0.#} s, but the socket is still open. {_inbox.Describe()}");
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        var end = "connection broken without a close frame";
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = _socket.CloseStatus;
                    CloseDescription = _socket.CloseStatusDescription;
                    end = $"close frame {(int?)CloseStatus} '{CloseDescription}'";
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await AnswerCloseAsync();
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _inbox.Add(result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            end = CloseStatus is null ? $"{end} ({exception.GetType().Name}: {exception.Message})" : end;
        }
        finally
        {
            _inbox.End(end);
        }
    }

    private async Task AnswerCloseAsync()
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.CloseOutputAsync(CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
