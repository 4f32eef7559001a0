using System.Globalization;

namespace PeerPigeon;

/// <summary>The true 160-bit XOR distance between two peer ids, ordered as an unsigned integer.</summary>
public readonly record struct XorDistance(UInt128 High, uint Low) : IComparable<XorDistance>
{
    /// <summary>Computes the distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static XorDistance Between(PeerId a, PeerId b)
    {
        var (aHigh, aLow) = Split(a);
        var (bHigh, bLow) = Split(b);
        return new XorDistance(aHigh ^ bHigh, aLow ^ bLow);
    }

    /// <inheritdoc />
    public int CompareTo(XorDistance other)
    {
        var high = High.CompareTo(other.High);
        return high != 0 ? high : Low.CompareTo(other.Low);
    }

    public static bool operator <(XorDistance left, XorDistance right) => left.CompareTo(right) < 0;

    public static bool operator >(XorDistance left, XorDistance right) => left.CompareTo(right) > 0;

    public static bool operator <=(XorDistance left, XorDistance right) => left.CompareTo(right) <= 0;

    public static bool operator >=(XorDistance left, XorDistance right) => left.CompareTo(right) >= 0;

    private static (UInt128 High, uint Low) Split(PeerId id) => (
        UInt128.Parse(id.Value.AsSpan(0, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
        uint.Parse(id.Value.AsSpan(32, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
}
