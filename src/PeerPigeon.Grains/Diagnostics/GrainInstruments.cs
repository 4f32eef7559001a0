using System.Diagnostics.Metrics;

namespace PeerPigeon.Grains.Diagnostics;

/// <summary>
/// The grains' metrics (meter <c>PeerPigeon.Grains</c>), recorded in the silo that runs the grains. A gateway with an
/// embedded silo exports them with its own at <c>/metrics</c>.
/// </summary>
public sealed class GrainInstruments
{
    /// <summary>The meter name, for an exporter's list of meters.</summary>
    public const string MeterName = "PeerPigeon.Grains";

    private readonly Histogram<int> _discoveryFanout;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _expired;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public GrainInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _discoveryFanout = meter.CreateHistogram<int>("peerpigeon.discovery.fanout", "{peer}",
            "Peers told about an announcing peer, per announce",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });
        _queued = meter.CreateCounter<long>("peerpigeon.mailbox.queued", "{message}", "Signaling kept in a mailbox for a target that is not attached");
        _rejected = meter.CreateCounter<long>("peerpigeon.mailbox.rejected", "{message}", "Signaling refused because the target's mailbox was full");
        _delivered = meter.CreateCounter<long>("peerpigeon.mailbox.delivered", "{message}", "Signaling taken from a mailbox for a peer that attached or announced");
        _expired = meter.CreateCounter<long>("peerpigeon.mailbox.expired", "{message}", "Signaling that expired in a mailbox (the sender gets an error)");
    }

    internal void DiscoveryFanout(int recipients) => _discoveryFanout.Record(recipients);

    internal void MailboxQueued() => _queued.Add(1);

    internal void MailboxRejected() => _rejected.Add(1);

    internal void MailboxDelivered(int count)
    {
        if (count > 0)
        {
            _delivered.Add(count);
        }
    }

    internal void MailboxExpired(int count)
    {
        if (count > 0)
        {
            _expired.Add(count);
        }
    }
}
