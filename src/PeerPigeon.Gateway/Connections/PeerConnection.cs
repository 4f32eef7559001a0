using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using PeerPigeon.Gateway.Diagnostics;
using PeerPigeon.Networks;
using PeerPigeon.Peers;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// One client socket. A receive loop hands each frame to the message handler in order; a send loop is the only
/// writer to the socket and drains a queue bounded by bytes (a peer that stops reading is closed with 1008
/// <c>Send queue full</c> instead of growing memory). Any close is bounded: a socket that does not finish its close
/// handshake in time is aborted.
/// </summary>
internal sealed class PeerConnection(
    PeerId peerId,
    WebSocket socket,
    ActivityStream? activity,
    int maxMessageSize,
    int maxQueuedBytes,
    GatewayInstruments instruments,
    TimeProvider time) : IDisposable
{
    private const int PooledBufferLimit = 64 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closeDeadline = new();
    private long _queuedBytes;
    private CloseRequest? _close;
    private string? _departure;

    public PeerId PeerId { get; } = peerId;

    public Guid ConnectionId { get; } = Guid.NewGuid();

    public long ConnectedAt { get; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>When bytes last arrived from the peer, epoch milliseconds (for <c>/hubs</c>).</summary>
    public long LastActivity => (time.GetUtcNow() - SinceLastReceived).ToUnixTimeMilliseconds();

    /// <summary>Time since bytes last arrived from the peer (frames or pongs).</summary>
    public TimeSpan SinceLastReceived => activity?.SinceLastRead ?? TimeSpan.Zero;

    /// <summary>Set once the peer grain accepted this socket; until then relays to it go through the grain.</summary>
    public bool IsAttached { get; set; }

    /// <summary>What this socket announced, or <see langword="null"/> before an announce and after a goodbye.</summary>
    public AnnouncedState? Announced { get; set; }

    /// <summary>The network signaling from this peer is checked against: its announced one, else <c>global</c>.</summary>
    public string Network => Announced?.Announcement.Network ?? NetworkNames.Global;

    /// <summary>Queues one text frame. False when the socket is closing or its queue just overflowed.</summary>
    public bool TrySend(byte[] frame)
    {
        if (Volatile.Read(ref _close) is not null)
        {
            return false;
        }

        if (Interlocked.Add(ref _queuedBytes, frame.Length) > maxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            if (TryRequestClose(WebSocketCloseStatus.PolicyViolation, CloseReasons.SendQueueFull, discardPending: true))
            {
                instruments.SendQueueOverflow();
            }

            return false;
        }

        if (!_outbound.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Closes the socket once: the close frame follows the queued frames (or replaces them with
    /// <paramref name="discardPending"/>), and the socket is aborted if the close does not complete in time.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason, bool discardPending = false) => TryRequestClose(status, reason, discardPending);

    /// <summary>Aborts the socket without a close handshake (the peer is not listening) and departs with <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        _departure ??= reason;
        socket.Abort();
    }

    /// <summary>Runs the socket until it closes and returns the departure reason for <c>peer-disconnected</c>.</summary>
    public async Task<string> RunAsync(Func<PeerConnection, ReadOnlyMemory<byte>, ValueTask> onFrame)
    {
        var receiving = ReceiveLoopAsync(onFrame);
        var sending = SendLoopAsync();
        await Task.WhenAny(receiving, sending);

        // Either the peer closed (answer it, stop sending) or our close frame is out (wait, bounded by the close
        // deadline, for the peer's answer). Close is idempotent: a close requested earlier keeps its code and reason.
        Close(WebSocketCloseStatus.NormalClosure, string.Empty, discardPending: true);
        await Task.WhenAll(receiving, sending);

        // A close the server asked for names the departure; otherwise what the receive loop saw does.
        return _close is { Reason.Length: > 0 } serverClose ? serverClose.Reason : _departure ?? CloseReasons.Disconnected;
    }

    /// <summary>Releases the socket and the close deadline (after <see cref="RunAsync"/>, or instead of it).</summary>
    public void Dispose()
    {
        _closeDeadline.Dispose();
        socket.Dispose();
    }

    private async Task ReceiveLoopAsync(Func<PeerConnection, ReadOnlyMemory<byte>, ValueTask> onFrame)
    {
        try
        {
            while (true)
            {
                // Zero-byte read: an idle socket holds no receive buffer.
                var probe = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (probe.MessageType == WebSocketMessageType.Close)
                {
                    PeerClosed();
                    return;
                }

                if (probe.EndOfMessage)
                {
                    // The probe consumed a whole empty message: that is a frame too (invalid JSON, answered with an error).
                    await onFrame(this, ReadOnlyMemory<byte>.Empty);
                    continue;
                }

                var (buffer, length, closed) = await ReceiveMessageAsync();
                if (closed)
                {
                    PeerClosed();
                    return;
                }

                if (buffer is null)
                {
                    _departure = CloseReasons.MessageTooBig;
                    Close(WebSocketCloseStatus.MessageTooBig, CloseReasons.MessageTooBig, discardPending: true);
                    return;
                }

                try
                {
                    await onFrame(this, buffer.AsMemory(0, length));
                }
                finally
                {
                    Return(buffer);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _departure ??= CloseReasons.Disconnected;
        }
    }

    /// <summary>Reads one whole message; a null buffer means it exceeded the size limit.</summary>
    private async Task<(byte[]? Buffer, int Length, bool Closed)> ReceiveMessageAsync()
    {
        var buffer = Rent(4096);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= maxMessageSize + 1)
                {
                    Return(buffer);
                    return (null, 0, false);
                }

                var larger = Rent(Math.Min(buffer.Length * 2, maxMessageSize + 1));
                buffer.AsSpan(0, length).CopyTo(larger);
                Return(buffer);
                buffer = larger;
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxMessageSize + 1) - length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Return(buffer);
                return (null, 0, true);
            }

            length += result.Count;
            if (length > maxMessageSize)
            {
                Return(buffer);
                return (null, 0, false);
            }

            if (result.EndOfMessage)
            {
                return (buffer, length, false);
            }
        }
    }

    /// <summary>
    /// Receive buffers up to <see cref="PooledBufferLimit"/> come from the shared pool (signaling frames are a few KB);
    /// larger ones are plain allocations, so that a rare large frame leaves no large array parked in the pool.
    /// </summary>
    private static byte[] Rent(int size) => size <= PooledBufferLimit ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= PooledBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    if (Volatile.Read(ref _close) is { DiscardPending: true })
                    {
                        continue;
                    }

                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }

            if (_close is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(close.Status, close.Reason, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The socket broke or was aborted by the close deadline; the receive loop reports the departure.
        }
        finally
        {
            // Release the queue so that no frame is held after the socket is gone.
            while (reader.TryRead(out var frame))
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
            }
        }
    }

    /// <summary>Requests the close; false when an earlier close request stands (its code and reason are kept).</summary>
    private bool TryRequestClose(WebSocketCloseStatus status, string reason, bool discardPending)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(status, reason, discardPending), null) is not null)
        {
            return false;
        }

        _outbound.Writer.TryComplete();
        _closeDeadline.Token.Register(socket.Abort);
        _closeDeadline.CancelAfter(CloseTimeout);
        return true;
    }

    private void PeerClosed()
    {
        var description = socket.CloseStatusDescription;
        _departure ??= string.IsNullOrEmpty(description) ? CloseReasons.Disconnected : description;
    }

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool DiscardPending);
}
