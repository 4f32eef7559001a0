using System.Security.Cryptography;

namespace PeerPigeon.Bench.Protocol;

/// <summary>Fresh peer ids (40 lowercase hex characters) and run ids that keep network names of runs apart.</summary>
internal static class PeerIds
{
    public static string New() => RandomNumberGenerator.GetHexString(40, lowercase: true);

    public static string NewRunId() => RandomNumberGenerator.GetHexString(8, lowercase: true);
}
