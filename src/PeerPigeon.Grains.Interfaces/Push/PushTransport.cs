namespace PeerPigeon.Push;

/// <summary>How grains push to gateways (<c>PUSH_TRANSPORT</c>).</summary>
public enum PushTransport
{
    /// <summary>One grain observer per gateway (default; lowest latency, detects a dead gateway).</summary>
    Observer,

    /// <summary>One Orleans memory stream per gateway, with an explicit subscription.</summary>
    Stream,
}
