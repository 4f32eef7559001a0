using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// This gateway's table of sockets. It is authoritative for its own sockets: a relay between two peers attached here
/// is delivered locally without a grain call.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<PeerId, PeerConnection> _byPeer = new();
    private readonly ConcurrentDictionary<Guid, PeerConnection> _byConnection = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private volatile bool _closing;

    /// <summary>Open sockets, attached or not.</summary>
    public int OpenCount => Volatile.Read(ref _open);

    /// <summary>Whether the gateway is shutting down and closing its sockets.</summary>
    public bool IsClosing => _closing;

    /// <summary>Open sockets, attached or not.</summary>
    public IEnumerable<PeerConnection> Open => _byConnection.Values;

    /// <summary>Attached sockets.</summary>
    public IEnumerable<PeerConnection> Attached => _byConnection.Values.Where(connection => connection.IsAttached);

    /// <summary>Counts a new socket unless <paramref name="limit"/> sockets are open or the gateway is stopping.</summary>
    public bool TryOpen(int limit)
    {
        while (true)
        {
            var open = Volatile.Read(ref _open);
            if (open >= limit || _closing)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _open, open + 1, open) == open)
            {
                return true;
            }
        }
    }

    /// <summary>Records a socket; returns false when another socket of this gateway already holds the id.</summary>
    public bool TryReserve(PeerConnection connection)
    {
        _byConnection[connection.ConnectionId] = connection;
        return _byPeer.TryAdd(connection.PeerId, connection);
    }

    /// <summary>Makes <paramref name="connection"/> the one this gateway delivers to for its peer id.</summary>
    public void Attach(PeerConnection connection)
    {
        _byPeer[connection.PeerId] = connection;
        connection.IsAttached = true;
    }

    /// <summary>Forgets a socket (and its peer id, unless a newer socket holds it) and uncounts it. Idempotent.</summary>
    public void Close(PeerConnection connection)
    {
        connection.IsAttached = false;
        _byPeer.TryRemove(KeyValuePair.Create(connection.PeerId, connection));
        if (!_byConnection.TryRemove(connection.ConnectionId, out _))
        {
            return;
        }

        if (Interlocked.Decrement(ref _open) == 0 && _closing)
        {
            _drained.TrySetResult();
        }
    }

    public bool TryGetAttached(PeerId peer, [NotNullWhen(true)] out PeerConnection? connection) =>
        _byPeer.TryGetValue(peer, out connection) && connection.IsAttached;

    public bool TryGet(Guid connectionId, [NotNullWhen(true)] out PeerConnection? connection) =>
        _byConnection.TryGetValue(connectionId, out connection);

    /// <summary>Refuses new sockets, closes all open ones with 1001 and completes when they are gone.</summary>
    public Task CloseAllAsync()
    {
        _closing = true;
        foreach (var connection in _byConnection.Values)
        {
            connection.Close(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, CloseReasons.ShuttingDown);
        }

        if (Volatile.Read(ref _open) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
