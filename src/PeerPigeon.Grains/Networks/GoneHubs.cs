using PeerPigeon.Grains.Hosting;

namespace PeerPigeon.Grains.Networks;

/// <summary>
/// Silo hubs that left a network recently, and which members have been told. A network that lost its state with a dead
/// silo no longer knows the dead silo's hub; its members come back one by one as their gateways re-assert them, and
/// each must still get exactly one <c>peer-disconnected</c> for the hub it knew. Entries are forgotten after
/// <see cref="Memory"/>, by then every gateway has re-asserted.
/// </summary>
internal sealed class GoneHubs(GrainClock clock)
{
    internal static readonly TimeSpan Memory = TimeSpan.FromMinutes(1);

    private readonly Dictionary<PeerId, (string Reason, DateTimeOffset Until, HashSet<PeerId> Told)> _gone = [];

    public bool Contains(PeerId hub)
    {
        Prune();
        return _gone.ContainsKey(hub);
    }

    /// <summary>Records that <paramref name="hub"/> left and that <paramref name="told"/> were told.</summary>
    public void Add(PeerId hub, string reason, IEnumerable<PeerId> told) => _gone[hub] = (reason, clock.UtcNow + Memory, [.. told]);

    /// <summary>A hub that comes back is no longer gone.</summary>
    public void Forget(PeerId hub) => _gone.Remove(hub);

    /// <summary>The departures <paramref name="member"/> has not been told yet (now marked told).</summary>
    public List<(PeerId Hub, string Reason)> TakeUntold(PeerId member)
    {
        Prune();
        var untold = new List<(PeerId, string)>();
        foreach (var (hub, entry) in _gone)
        {
            if (entry.Told.Add(member))
            {
                untold.Add((hub, entry.Reason));
            }
        }

        return untold;
    }

    public bool IsEmpty => _gone.Count == 0;

    private void Prune()
    {
        var now = clock.UtcNow;
        foreach (var hub in _gone.Where(entry => entry.Value.Until <= now).Select(entry => entry.Key).ToList())
        {
            _gone.Remove(hub);
        }
    }
}
