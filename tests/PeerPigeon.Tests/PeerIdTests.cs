namespace PeerPigeon.Tests;

public sealed class PeerIdTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD")]
    [InlineData("aBcDeF0123456789aBcDeF0123456789aBcDeF01")]
    public void Forty_hex_characters_parse_and_keep_their_case(string value)
    {
        Assert.True(PeerId.TryParse(value, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(value, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0123456789abcdef0123456789abcdef0123456")]
    [InlineData("0123456789abcdef0123456789abcdef012345678")]
    [InlineData("0123456789abcdef0123456789abcdef0123456g")]
    [InlineData(" 123456789abcdef0123456789abcdef01234567")]
    public void Anything_else_is_rejected(string? value)
    {
        Assert.False(PeerId.TryParse(value, out _));
        if (value is not null)
        {
            Assert.Throws<FormatException>(() => PeerId.Parse(value));
        }
    }

    [Fact]
    public void Ids_differing_only_in_case_are_different_peers()
    {
        Assert.NotEqual(PeerId.Parse(new string('a', 40)), PeerId.Parse(new string('A', 40)));
    }

    [Fact]
    public void Xor_distance_is_the_true_160_bit_xor_ordered_as_an_unsigned_number()
    {
        var origin = PeerId.Parse(new string('0', 40));
        var lowBitOnly = PeerId.Parse(new string('0', 39) + "1");
        var highBitOnly = PeerId.Parse("8" + new string('0', 39));
        var allBits = PeerId.Parse(new string('f', 40));

        Assert.True(origin.DistanceTo(lowBitOnly) < origin.DistanceTo(highBitOnly));
        Assert.True(origin.DistanceTo(highBitOnly) < origin.DistanceTo(allBits));
        Assert.Equal(default, origin.DistanceTo(origin));
        Assert.Equal(allBits.DistanceTo(highBitOnly), highBitOnly.DistanceTo(allBits));
    }

    [Fact]
    public void Xor_distance_ignores_hex_case()
    {
        var a = PeerId.Parse(new string('a', 40));
        Assert.Equal(default, a.DistanceTo(PeerId.Parse(new string('A', 40))));
    }
}
