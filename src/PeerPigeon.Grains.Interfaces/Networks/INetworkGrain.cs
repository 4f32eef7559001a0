namespace PeerPigeon.Networks;

/// <summary>
/// One network (the grain key is its name): its members grouped by gateway, and discovery fan-out with one push per
/// gateway per event, never one call per recipient.
/// </summary>
[Alias("PeerPigeon.Networks.INetworkGrain")]
public interface INetworkGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds or updates a member. With <paramref name="discover"/> the member is introduced to the others (all of them,
    /// or the closest <c>MAX_DISCOVERY_PEERS</c>) and they to it; without, the membership is restored silently.
    /// </summary>
    [Alias("Join")]
    Task JoinAsync(NetworkMember member, bool discover);

    /// <summary>Removes a member; the others get exactly one <c>peer-disconnected</c>. No-op for non-members.</summary>
    [Alias("Leave")]
    Task LeaveAsync(PeerId peer, string reason);

    /// <summary>
    /// A silo hub is gone (its silo stopped or was declared dead): as <see cref="LeaveAsync"/> when it is a member.
    /// When this network no longer knows it (its state was lost with that silo), the members it has now are told, and
    /// members re-asserted within the next minute are told once each.
    /// </summary>
    [Alias("RemoveSiloHub")]
    Task RemoveSiloHubAsync(PeerId hub, string reason);

    /// <summary>Removes every member attached through <paramref name="gatewayId"/> (a gateway that is gone); the others get one <c>peer-disconnected</c> each.</summary>
    [Alias("PurgeGateway")]
    Task PurgeGatewayAsync(string gatewayId);

    /// <summary>Relays the member's <c>goodbye</c> to every other member, then removes it (reason <c>goodbye</c>).</summary>
    [Alias("Goodbye")]
    Task GoodbyeAsync(PeerId peer, byte[]? data, long timestamp);
}
