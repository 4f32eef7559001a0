namespace PeerPigeon.Bench.Protocol;

/// <summary>What a frame means to a scenario, whatever the wire protocol calls it.</summary>
internal enum FrameKind
{
    /// <summary>Not one the scenarios act on.</summary>
    Other,

    /// <summary>The server's first frame on an accepted socket (<c>connected</c>, PeerJS <c>OPEN</c>).</summary>
    Open,

    /// <summary>Another peer of the network was announced to this one (<c>peer-discovered</c>).</summary>
    Discovered,

    Offer,
    Answer,
    IceCandidate,

    /// <summary>The server refused something or could not deliver it.</summary>
    Error,
}
