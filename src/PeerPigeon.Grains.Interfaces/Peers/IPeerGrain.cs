using Orleans.Concurrency;
using PeerPigeon.Push;

namespace PeerPigeon.Peers;

/// <summary>
/// The cluster-wide authority for one peer id (the grain key): where the peer is attached, which network it announced
/// into, and a short mailbox for signaling that arrives while it is not attached. Its state is soft state that the
/// gateway holding the socket re-asserts (<see cref="RenewAsync"/>).
/// </summary>
[Alias("PeerPigeon.Peers.IPeerGrain")]
public interface IPeerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Attaches a new socket. Applies the duplicate-peer policy when another socket holds the id; on success returns
    /// the mailbox messages that can be delivered right away.
    /// </summary>
    /// <param name="heldByThisGateway">
    /// Whether the requesting gateway itself has a live socket for this id. The gateway's own table is authoritative
    /// for its sockets: a record of an older socket on the same gateway that the gateway no longer holds is stale and
    /// is taken over without applying the policy.
    /// </param>
    [Alias("Attach")]
    Task<AttachResult> AttachAsync(Attachment attachment, bool heldByThisGateway);

    /// <summary>Joins the announced network (leaving the previous one) and runs discovery.</summary>
    [Alias("Announce")]
    Task<AnnounceResult> AnnounceAsync(Guid connectionId, Announcement announcement);

    /// <summary>Relays a <c>goodbye</c> to the peer's network, then leaves it. The socket stays attached.</summary>
    [Alias("Goodbye")]
    Task GoodbyeAsync(Guid connectionId, byte[]? data, long timestamp);

    /// <summary>Detaches the socket (if it is still the attached one) and leaves the network with <paramref name="reason"/>.</summary>
    [Alias("Detach")]
    Task DetachAsync(Guid connectionId, string reason);

    /// <summary>Delivers signaling to this peer, or keeps it in the mailbox while the peer is not attached.</summary>
    [Alias("Relay")]
    Task<RelayOutcome> RelayAsync(RelayPush message);

    /// <summary>
    /// Takes back a relay that gateway <paramref name="gatewayId"/> could not deliver because the socket was closing
    /// (or its send queue was full): it goes to the peer's current socket if that is on another gateway, otherwise into
    /// the mailbox, so that nothing is lost in the moment between a socket closing and its detach.
    /// </summary>
    [Alias("ReturnUndelivered"), OneWay]
    Task ReturnUndeliveredAsync(RelayPush message, string gatewayId);

    /// <summary>Tells this peer that a message it sent was not delivered (mailbox expiry).</summary>
    [Alias("NotifyUndelivered"), OneWay]
    Task NotifyUndeliveredAsync(UndeliveredPush notice);

    /// <summary>
    /// Re-asserts the gateway's view of this peer (the lease): restores lost state silently, without discovery.
    /// Returns <see cref="LeaseStatus.Superseded"/> when another socket holds the id, so the gateway closes its own.
    /// </summary>
    [Alias("Renew")]
    Task<LeaseStatus> RenewAsync(Attachment attachment, Announcement? announcement);
}
