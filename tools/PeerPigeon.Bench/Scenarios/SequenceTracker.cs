namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// Per-stream delivery check for messages numbered 0, 1, 2… that the server promises to deliver in order: a jump
/// forward is a gap (lost messages), a number already passed is a duplicate. Single-threaded (one receive loop).
/// </summary>
internal sealed class SequenceTracker
{
    private long next;

    /// <summary>Sequences skipped so far.</summary>
    public long Gaps { get; private set; }

    /// <summary>Sequences seen again (or late, out of order).</summary>
    public long Duplicates { get; private set; }

    /// <summary>Records <paramref name="seq"/>; true when it is new (not a duplicate).</summary>
    public bool Observe(long seq)
    {
        if (seq < next)
        {
            Duplicates++;
            return false;
        }

        Gaps += seq - next;
        next = seq + 1;
        return true;
    }
}
