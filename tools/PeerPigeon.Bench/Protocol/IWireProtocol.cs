using System.Text.Json;

namespace PeerPigeon.Bench.Protocol;

/// <summary>
/// A signaling wire format the relay and idle scenarios can speak (--protocol): how to connect, what the server sends
/// first, the frames a peer sends, and where a received frame keeps its sender and payload. Scenario logic is shared;
/// only this differs between servers.
/// </summary>
internal interface IWireProtocol
{
    /// <summary>The --protocol value that selects it.</summary>
    string Name { get; }

    /// <summary>Whether peers announce into networks and are told about each other (<c>announce</c> / <c>peer-discovered</c>).</summary>
    bool HasDiscovery { get; }

    /// <summary>The <c>type</c> of the frame the server sends first when it accepts a socket.</summary>
    string OpenFrameType { get; }

    /// <summary>How often a client sends <see cref="Heartbeat"/> to stay connected; null when the protocol has none.</summary>
    TimeSpan? HeartbeatInterval { get; }

    /// <summary>The URL a peer with <paramref name="peerId"/> opens on the server at <paramref name="server"/>.</summary>
    Uri ConnectUri(Uri server, string peerId);

    byte[] Heartbeat();

    /// <summary>
    /// An offer or answer (<paramref name="kind"/>) to <paramref name="target"/> whose payload carries the SDP-like
    /// padding <paramref name="sdp"/>, the sequence number and the send timestamp (Stopwatch ticks of this process).
    /// <paramref name="network"/> is ignored by protocols without networks.
    /// </summary>
    byte[] Signal(FrameKind kind, string target, string network, long seq, long sentAt, string sdp);

    /// <summary>An ICE candidate to <paramref name="target"/> as browsers send them, numbered and stamped like <see cref="Signal"/>.</summary>
    byte[] IceCandidate(string target, string network, long seq, long sentAt);

    /// <summary>What a received frame of wire type <paramref name="type"/> means.</summary>
    FrameKind Classify(string type);

    /// <summary>The field of a relayed frame that names its sender.</summary>
    string SourceField { get; }

    /// <summary>The field of a relayed frame that holds what the sender put in it (seq, sent, sdp…).</summary>
    string PayloadField { get; }

    /// <summary>Human-readable text of an <see cref="FrameKind.Error"/> frame, for the error tally.</summary>
    string ErrorText(string type, JsonElement root);
}
