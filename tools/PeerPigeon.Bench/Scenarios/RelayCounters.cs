using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// Counters shared by all pairs of a relay run, updated with interlocked operations. "Measured" means sent at or after
/// <see cref="MeasureFrom"/> (a Stopwatch timestamp; warm-up traffic is not counted). An ICE candidate carries the
/// stamp of the offer it follows.
/// </summary>
internal sealed class RelayCounters(long budget)
{
    private long budget = budget;
    private long measureFrom = long.MaxValue;
    public int PairCount;
    public long MeasureUntil = long.MaxValue;

    /// <summary>
    /// Set when the result is taken: frames arriving later (while closing) are neither counted nor timed, so the counts
    /// and the latency histograms describe the same messages.
    /// </summary>
    public volatile bool Frozen;
    public long OffersSent;
    public long OffersSentMeasured;
    public long OffersReceivedMeasured;
    public long AnswersReceivedMeasured;
    public long OffersReceived;
    public long AnswersReceived;
    public long IceSent;
    public long IceSentMeasured;
    public long IceReceived;
    public long IceReceivedMeasured;
    public long SequenceGaps;
    public long Duplicates;

    public LatencyHistogram OneWay { get; } = new();

    public LatencyHistogram RoundTrip { get; } = new();

    public LatencyHistogram IceOneWay { get; } = new();

    public ErrorTally Errors { get; } = new();

    public long MeasureFrom
    {
        get => Interlocked.Read(ref measureFrom);
        set => Interlocked.Exchange(ref measureFrom, value);
    }

    public bool IsMeasured(long sentAt) => sentAt >= MeasureFrom;

    /// <summary>Takes one offer from the --count budget; false once it is spent.</summary>
    public bool TakeBudget() => Interlocked.Decrement(ref budget) >= 0;

    /// <summary>True when every measured offer and answer has arrived (nothing left to drain).</summary>
    public bool Drained =>
        Interlocked.Read(ref OffersReceivedMeasured) >= Interlocked.Read(ref OffersSentMeasured)
        && Interlocked.Read(ref AnswersReceivedMeasured) >= Interlocked.Read(ref OffersSentMeasured)
        && Interlocked.Read(ref IceReceivedMeasured) >= Interlocked.Read(ref IceSentMeasured);
}
