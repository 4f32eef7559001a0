using System.Collections.Immutable;
using PeerPigeon.Grains.Diagnostics;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Peers;

/// <summary>
/// Signaling that waits, in arrival order, for its target to attach in the sender's network. Counts what it queues,
/// refuses, hands over and lets expire (<c>peerpigeon.mailbox.*</c>).
/// </summary>
internal sealed class Mailbox(int capacity, GrainInstruments instruments)
{
    private readonly List<(RelayPush Message, DateTimeOffset ExpiresAt)> _entries = [];

    public int Count => _entries.Count;

    public bool TryAdd(RelayPush message, DateTimeOffset expiresAt)
    {
        if (_entries.Count >= capacity)
        {
            instruments.MailboxRejected();
            return false;
        }

        _entries.Add((message, expiresAt));
        instruments.MailboxQueued();
        return true;
    }

    /// <summary>Removes and returns, in order, the messages sent from <paramref name="network"/>.</summary>
    public ImmutableArray<RelayPush> TakeFrom(string network)
    {
        var delivered = Take(entry => entry.Message.Network == network);
        instruments.MailboxDelivered(delivered.Length);
        return delivered;
    }

    /// <summary>Removes and returns, in order, the messages whose time ran out at <paramref name="now"/>.</summary>
    public ImmutableArray<RelayPush> TakeExpired(DateTimeOffset now)
    {
        var expired = Take(entry => entry.ExpiresAt <= now);
        instruments.MailboxExpired(expired.Length);
        return expired;
    }

    private ImmutableArray<RelayPush> Take(Predicate<(RelayPush Message, DateTimeOffset ExpiresAt)> match)
    {
        if (_entries.Count == 0)
        {
            return [];
        }

        var taken = ImmutableArray.CreateBuilder<RelayPush>();
        foreach (var entry in _entries)
        {
            if (match(entry))
            {
                taken.Add(entry.Message);
            }
        }

        if (taken.Count > 0)
        {
            _entries.RemoveAll(match);
        }

        return taken.ToImmutable();
    }
}
