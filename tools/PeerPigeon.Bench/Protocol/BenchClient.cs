using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// One peer's socket: connect and wait for the server's first frame (<c>connected</c>, or as the
/// <see cref="IWireProtocol"/> says), then a receive loop that hands every frame, with its arrival timestamp, to a
/// handler; and, when the protocol has one, a heartbeat. Sends are serialised (one writer at a time, as
/// <see cref="ClientWebSocket"/> needs).
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<ReceivedFrame, ValueTask> handler;
    private readonly IWireProtocol protocol;
    private byte[] buffer = new byte[4096];
    private Task receiving = Task.CompletedTask;
    private Task heartbeating = Task.CompletedTask;

    private BenchClient(string peerId, IWireProtocol protocol, Func<ReceivedFrame, ValueTask> handler)
    {
        PeerId = peerId;
        this.protocol = protocol;
        this.handler = handler;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public string PeerId { get; }

    /// <summary>Ends when the server closes the socket or it breaks; its exception, if any, says why.</summary>
    public Task Receiving => receiving;

    public WebSocketState State => socket.State;

    /// <summary>Opens a PeerPigeon socket and returns once the server's <c>connected</c> frame has arrived.</summary>
    public static Task<BenchClient> ConnectAsync(
        Uri gateway, string peerId, Func<ReceivedFrame, ValueTask> handler, CancellationToken cancellationToken) =>
        ConnectAsync(gateway, peerId, PeerPigeonProtocol.Instance, handler, cancellationToken);

    /// <summary>Opens the socket and returns once the server's first frame (<see cref="IWireProtocol.OpenFrameType"/>) has arrived.</summary>
    public static async Task<BenchClient> ConnectAsync(
        Uri server, string peerId, IWireProtocol protocol, Func<ReceivedFrame, ValueTask> handler, CancellationToken cancellationToken)
    {
        var client = new BenchClient(peerId, protocol, handler);
        try
        {
            await client.socket.ConnectAsync(protocol.ConnectUri(server, peerId), cancellationToken);
            var expected = protocol.OpenFrameType;
            var first = await client.ReceiveOneAsync(cancellationToken)
                ?? throw new WebSocketException($"Closed before '{expected}': {client.socket.CloseStatus} {client.socket.CloseStatusDescription}");
            using (first.Document)
            {
                if (first.Type != expected)
                {
                    var frame = new ReceivedFrame(first.Type, first.Document.RootElement, first.ReceivedAt, protocol);
                    throw new WebSocketException(frame.Kind == FrameKind.Error
                        ? $"Expected '{expected}' first, got '{first.Type}': {frame.ErrorText}"
                        : $"Expected '{expected}' first, got '{first.Type}'.");
                }
            }

            client.receiving = client.ReceiveLoopAsync();
            if (protocol.HeartbeatInterval is { } interval)
            {
                client.heartbeating = client.HeartbeatLoopAsync(interval);
            }

            return client;
        }
        catch
        {
            client.socket.Abort();
            await client.DisposeAsync();
            throw;
        }
    }

    public Task AnnounceAsync(string network, CancellationToken cancellationToken) =>
        SendAsync(Frames.Announce(network), cancellationToken);

    public Task GoodbyeAsync(string network, CancellationToken cancellationToken) =>
        SendAsync(Frames.Goodbye(network), cancellationToken);

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a normal close frame and waits at most <paramref name="bound"/> for the server's (seen by the receive loop,
    /// the only reader: <see cref="ClientWebSocket.CloseAsync"/> would read concurrently with it), else aborts.
    /// </summary>
    public async Task CloseAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        await SendCloseAsync(timeout.Token);
        await AwaitClosedAsync(timeout.Token);
    }

    /// <summary>Sends a normal close frame without waiting for the server's; aborts the socket if that fails or is cancelled.</summary>
    public async Task SendCloseAsync(CancellationToken cancellationToken)
    {
        await StopHeartbeatAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await sendLock.WaitAsync(cancellationToken);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "Client disconnect", cancellationToken);
                }
                finally
                {
                    sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>Waits for the receive loop to see the server's close; aborts the socket if it has not when cancelled.</summary>
    public async Task AwaitClosedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await receiving.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or JsonException)
        {
            socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatAsync();
        socket.Abort();
        try
        {
            await receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            // The loop ends with the socket; its failure was already seen through Receiving.
        }

        socket.Dispose();
        sendLock.Dispose();
        stopping.Dispose();
    }

    /// <summary>Sends the protocol's heartbeat every <paramref name="interval"/> until the client closes or the socket breaks.</summary>
    private async Task HeartbeatLoopAsync(TimeSpan interval)
    {
        var frame = protocol.Heartbeat();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token) && socket.State == WebSocketState.Open)
            {
                await sendLock.WaitAsync(stopping.Token);
                try
                {
                    // Not cancellable once started: cancelling a ClientWebSocket send aborts the socket.
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
                finally
                {
                    sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopped by CloseAsync/DisposeAsync, or the socket broke: the receive loop reports that.
        }
    }

    private async Task StopHeartbeatAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        await heartbeating;
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        while (true)
        {
            var frame = await ReceiveOneAsync(CancellationToken.None);
            if (frame is null)
            {
                return;
            }

            using (frame.Value.Document)
            {
                await handler(new ReceivedFrame(frame.Value.Type, frame.Value.Document.RootElement, frame.Value.ReceivedAt, protocol));
            }
        }
    }

    private async Task<(string Type, JsonDocument Document, long ReceivedAt)?> ReceiveOneAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await sendLock.WaitAsync(CancellationToken.None);
                    try
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                    finally
                    {
                        sendLock.Release();
                    }
                }

                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        var receivedAt = Stopwatch.GetTimestamp();
        var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        var type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString() ?? "" : "";
        return (type, document, receivedAt);
    }
}
