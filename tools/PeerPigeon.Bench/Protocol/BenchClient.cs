using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// One peer's socket: connect and wait for <c>connected</c>, then a receive loop that hands every frame, with its
/// arrival timestamp, to a handler. Sends are serialised (one writer at a time, as <see cref="ClientWebSocket"/> needs).
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly Func<ReceivedFrame, ValueTask> handler;
    private byte[] buffer = new byte[4096];
    private Task receiving = Task.CompletedTask;

    private BenchClient(string peerId, Func<ReceivedFrame, ValueTask> handler)
    {
        PeerId = peerId;
        this.handler = handler;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public string PeerId { get; }

    /// <summary>Ends when the server closes the socket or it breaks; its exception, if any, says why.</summary>
    public Task Receiving => receiving;

    public WebSocketState State => socket.State;

    /// <summary>Opens the socket and returns once the server's <c>connected</c> frame has arrived.</summary>
    public static async Task<BenchClient> ConnectAsync(
        Uri gateway, string peerId, Func<ReceivedFrame, ValueTask> handler, CancellationToken cancellationToken)
    {
        var client = new BenchClient(peerId, handler);
        try
        {
            var uri = new UriBuilder(gateway) { Query = "peerId=" + peerId }.Uri;
            await client.socket.ConnectAsync(uri, cancellationToken);
            var first = await client.ReceiveOneAsync(cancellationToken)
                ?? throw new WebSocketException($"Closed before 'connected': {client.socket.CloseStatus} {client.socket.CloseStatusDescription}");
            using (first.Document)
            {
                if (first.Type != "connected")
                {
                    throw new WebSocketException($"Expected 'connected' first, got '{first.Type}'.");
                }
            }

            client.receiving = client.ReceiveLoopAsync();
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
                await handler(new ReceivedFrame(frame.Value.Type, frame.Value.Document.RootElement, frame.Value.ReceivedAt));
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
