namespace PeerPigeon.Peers;

/// <summary>What became of a relayed message.</summary>
[GenerateSerializer, Alias("PeerPigeon.Peers.RelayOutcome")]
public enum RelayOutcome
{
    /// <summary>Pushed to the gateway holding the target's socket.</summary>
    Delivered,

    /// <summary>Kept in the target's mailbox until it attaches (or the message expires).</summary>
    Queued,

    /// <summary>The target is attached in a different network than the sender.</summary>
    WrongNetwork,

    /// <summary>The target is not attached and the mailbox is disabled (<c>MESSAGE_TTL_MS=0</c>).</summary>
    NotConnected,

    /// <summary>The target is not attached and its mailbox is full.</summary>
    MailboxFull,
}
