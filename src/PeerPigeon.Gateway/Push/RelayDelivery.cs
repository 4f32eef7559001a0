using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Push;

namespace PeerPigeon.Gateway.Push;

/// <summary>
/// Writes a relay to its target's socket on this gateway, or, when the socket is gone or closing, hands it back to the
/// target's grain (mailbox or the peer's new socket), so a relay is never dropped in the moment a socket closes.
/// </summary>
internal sealed class RelayDelivery(ConnectionRegistry registry, GatewayIdentity identity, IGrainFactory grains)
{
    public void Deliver(RelayPush relay)
    {
        if (!registry.TryGetAttached(relay.Target, out var connection) || !connection.TrySend(ServerFrames.Relay(relay)))
        {
            _ = grains.GetPeerGrain(relay.Target).ReturnUndeliveredAsync(relay, identity.Id);
        }
    }

    /// <summary>Delivers messages that waited in the mailbox to a socket that just attached or announced.</summary>
    public void DeliverPending(IEnumerable<RelayPush> pending)
    {
        foreach (var relay in pending)
        {
            Deliver(relay);
        }
    }
}
