using System.Security.Cryptography;
using System.Text;

namespace PeerPigeon.Grains.Hubs;

/// <summary>A silo's stable hub peer id: the first 20 bytes of SHA-256 of <c>&lt;service id&gt;/&lt;silo name&gt;</c>, as hex.</summary>
public static class SiloHubId
{
    /// <summary>The hub id of silo <paramref name="siloName"/> in service <paramref name="serviceId"/>.</summary>
    public static PeerId Create(string serviceId, string siloName) =>
        PeerId.Parse(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{serviceId}/{siloName}")).AsSpan(0, 20)));
}
