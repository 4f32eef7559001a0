namespace PeerPigeon.Bench.Reporting;

/// <summary>How a run ended; maps to the exit code.</summary>
internal enum RunStatus
{
    /// <summary>Ran to the end without errors (exit 0).</summary>
    Ok = 0,

    /// <summary>Ran to the end but saw errors, losses or missing deliveries (exit 1).</summary>
    Failed = 1,

    /// <summary>The hard --timeout ended it; the result holds what was measured until then (exit 3).</summary>
    TimedOut = 3,
}
