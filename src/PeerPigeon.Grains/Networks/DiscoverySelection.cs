using PeerPigeon.Networks;

namespace PeerPigeon.Grains.Networks;

/// <summary>Chooses whom an announcing peer is introduced to (and who is told about it).</summary>
internal static class DiscoverySelection
{
    /// <summary>
    /// Every member but the announcer, or with <paramref name="limit"/> &gt; 0 only the <paramref name="limit"/> members
    /// closest to the announcer by 160-bit XOR distance.
    /// </summary>
    public static IReadOnlyList<NetworkMember> Select(PeerId announcer, IEnumerable<NetworkMember> members, int limit)
    {
        var others = members.Where(member => member.Peer.PeerId != announcer);
        return limit <= 0
            ? [.. others]
            : [.. others.OrderBy(member => announcer.DistanceTo(member.Peer.PeerId)).Take(limit)];
    }
}
