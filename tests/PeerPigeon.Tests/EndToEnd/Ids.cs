using System.Numerics;
using System.Security.Cryptography;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>Fresh peer ids and network names, so tests sharing a server never meet.</summary>
public static class Ids
{
    /// <summary>A random 40-hex peer id (lowercase, as the official client makes them).</summary>
    public static string NewPeerId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>A network name no other test uses.</summary>
    public static string NewNetwork() => $"net-{Guid.NewGuid():N}";

    /// <summary>The 160-bit XOR distance between two ids, as an unsigned number.</summary>
    public static BigInteger XorDistance(string a, string b) =>
        new BigInteger(Convert.FromHexString(a), isUnsigned: true, isBigEndian: true)
        ^ new BigInteger(Convert.FromHexString(b), isUnsigned: true, isBigEndian: true);
}
