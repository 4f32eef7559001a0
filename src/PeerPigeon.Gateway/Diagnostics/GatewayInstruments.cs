using System.Diagnostics.Metrics;
using PeerPigeon.Gateway.Connections;

namespace PeerPigeon.Gateway.Diagnostics;

/// <summary>The gateway's own metrics (meter <c>PeerPigeon.Gateway</c>), exported with Orleans' at <c>/metrics</c>.</summary>
internal sealed class GatewayInstruments
{
    public const string MeterName = "PeerPigeon.Gateway";

    private static readonly HashSet<string> KnownReasons =
    [
        CloseReasons.Disconnected, CloseReasons.Timeout, CloseReasons.Replaced, CloseReasons.SendQueueFull,
        CloseReasons.MessageTooBig, CloseReasons.ShuttingDown, "Client disconnect",
    ];

    /// <summary>Milliseconds, from a same-gateway hand-off (microseconds) to a slow cluster call (seconds).</summary>
    private static readonly double[] RelayDurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private static readonly KeyValuePair<string, object?> LocalPath = new("path", "local");
    private static readonly KeyValuePair<string, object?> ClusterPath = new("path", "cluster");

    private readonly Counter<long> _relayed;
    private readonly Histogram<double> _relayDuration;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _sendQueueOverflows;

    public GatewayInstruments(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("peerpigeon.connections", () => registry.OpenCount, "{connection}", "Open WebSocket connections on this gateway");
        _relayed = meter.CreateCounter<long>("peerpigeon.messages.relayed", "{message}", "Signaling messages relayed, by type and path (local or cluster)");
        _relayDuration = meter.CreateHistogram<double>("peerpigeon.relay.duration", "ms",
            "Time from parsing a relay to handing it to the target's socket (local) or the target grain's answer (cluster)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RelayDurationBuckets });
        _closed = meter.CreateCounter<long>("peerpigeon.connections.closed", "{connection}", "Attached connections that ended, by reason");
        _rejected = meter.CreateCounter<long>("peerpigeon.connections.rejected", "{connection}", "Connections refused after the upgrade, by reason");
        _sendQueueOverflows = meter.CreateCounter<long>("peerpigeon.send_queue.overflows", "{connection}",
            "Connections closed because their send queue was full (the peer stopped reading)");
    }

    /// <summary>Counts a relay and records how long it took since its frame was parsed.</summary>
    public void Relayed(string type, bool local, TimeSpan elapsed)
    {
        var path = local ? LocalPath : ClusterPath;
        _relayed.Add(1, new KeyValuePair<string, object?>("type", type), path);
        _relayDuration.Record(elapsed.TotalMilliseconds, path);
    }

    /// <summary>Counts a departure; reasons a peer chose freely are folded into <c>peer closed</c> to bound the series.</summary>
    public void Closed(string reason) =>
        _closed.Add(1, new KeyValuePair<string, object?>("reason", KnownReasons.Contains(reason) ? reason : "peer closed"));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void SendQueueOverflow() => _sendQueueOverflows.Add(1);
}
