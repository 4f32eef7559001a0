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

    private readonly Counter<long> _relayed;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _rejected;

    public GatewayInstruments(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("peerpigeon.connections", () => registry.OpenCount, "{connection}", "Open WebSocket connections on this gateway");
        _relayed = meter.CreateCounter<long>("peerpigeon.messages.relayed", "{message}", "Signaling messages relayed, by type and path (local or cluster)");
        _closed = meter.CreateCounter<long>("peerpigeon.connections.closed", "{connection}", "Attached connections that ended, by reason");
        _rejected = meter.CreateCounter<long>("peerpigeon.connections.rejected", "{connection}", "Connections refused after the upgrade, by reason");
    }

    public void Relayed(string type, bool local) =>
        _relayed.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("path", local ? "local" : "cluster"));

    /// <summary>Counts a departure; reasons a peer chose freely are folded into <c>peer closed</c> to bound the series.</summary>
    public void Closed(string reason) =>
        _closed.Add(1, new KeyValuePair<string, object?>("reason", KnownReasons.Contains(reason) ? reason : "peer closed"));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
