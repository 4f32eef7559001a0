using System.Diagnostics.CodeAnalysis;

namespace PeerPigeon;

/// <summary>
/// A PeerPigeon peer id: exactly 40 hexadecimal characters (<c>^[a-fA-F0-9]{40}$</c>), kept case-sensitive as given.
/// Validation and formatting of ids live here and nowhere else.
/// </summary>
[GenerateSerializer, Immutable, Alias("PeerPigeon.PeerId")]
public readonly record struct PeerId
{
    /// <summary>The number of hexadecimal characters in a peer id.</summary>
    public const int Length = 40;

    private PeerId(string value) => Value = value;

    /// <summary>Gets the id as given by the peer.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>Parses <paramref name="value"/> or throws <see cref="FormatException"/>.</summary>
    public static PeerId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a peer id: expected {Length} hexadecimal characters.");

    /// <summary>Parses <paramref name="value"/> when it is exactly 40 hexadecimal characters.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out PeerId id)
    {
        if (value is not null && IsValid(value))
        {
            id = new PeerId(value);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>Returns whether <paramref name="value"/> is exactly 40 hexadecimal characters.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => value.Length == Length && !value.ContainsAnyExcept(HexDigits);

    /// <summary>The 160-bit XOR distance between this id and <paramref name="other"/> (case does not matter).</summary>
    public XorDistance DistanceTo(PeerId other) => XorDistance.Between(this, other);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
