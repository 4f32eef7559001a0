namespace PeerPigeon.Grains.Hosting;

/// <summary>
/// The clock the PeerPigeon grains and the silo hub read (mailbox expiry, gone-hub memory, gateway leases, hub ticks).
/// It is a service of its own, not the container's <see cref="TimeProvider"/>, so that a test can stop or advance it
/// without also stopping the clock Orleans runs on (response timeouts, retries, membership): a silo on a stopped
/// clock can wait forever for a message that was lost.
/// </summary>
public sealed class GrainClock(TimeProvider time)
{
    /// <summary>The wall clock.</summary>
    public static GrainClock System { get; } = new(TimeProvider.System);

    /// <summary>The time provider behind the clock, for timers.</summary>
    public TimeProvider Time => time;

    /// <summary>Now, in UTC.</summary>
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
