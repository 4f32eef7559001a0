namespace PeerPigeon.Grains.Peers;

/// <summary>
/// The last few connections a peer detached, so that a lease renewal trailing a detach of the same socket never
/// resurrects a closed socket. Bounded: only the newest <see cref="Capacity"/> are kept.
/// </summary>
internal sealed class RecentlyDetached
{
    private const int Capacity = 8;
    private readonly Queue<Guid> _connections = new();

    public void Add(Guid connectionId)
    {
        _connections.Enqueue(connectionId);
        if (_connections.Count > Capacity)
        {
            _connections.Dequeue();
        }
    }

    public bool Contains(Guid connectionId) => _connections.Contains(connectionId);
}
