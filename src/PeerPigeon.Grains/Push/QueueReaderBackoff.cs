using Orleans.Runtime.Providers;

namespace PeerPigeon.Grains.Push;

/// <summary>
/// How long a stream pulling agent waits before reading again from a queue whose last read failed, which happens when
/// the memory queue grain lived on a silo that died. Orleans' default waits 10 to 20 s, longer than signaling can wait
/// for a relay; this retries after 100 ms, growing by 100 ms per attempt up to <see cref="MaxDelay"/>.
/// </summary>
internal sealed class QueueReaderBackoff : IQueueReaderBackoffProvider
{
    /// <summary>The longest wait between two read attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    public TimeSpan Next(int attempt) => attempt < 0 || Step * (attempt + 1) > MaxDelay ? MaxDelay : Step * (attempt + 1);
}
