using System.Text;
using PeerPigeon.Gateway.Protocol;

namespace PeerPigeon.Tests.Protocol;

public sealed class AnnounceDataTests
{
    private static (string Members, bool ClaimsHub) Split(string? json)
    {
        var (members, claimsHub) = AnnounceData.Split(json is null ? null : (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes(json));
        return (Encoding.UTF8.GetString(members), claimsHub);
    }

    [Fact]
    public void The_peer_id_and_hub_flag_are_removed_and_everything_else_kept_raw()
    {
        var (members, claimsHub) = Split("{\"peerId\":\"9999\",\"nick\" : \"bob\",\"isHub\":true,\"caps\":[1, {\"a\":2}]}");
        Assert.Equal("\"nick\" : \"bob\",\"caps\":[1, {\"a\":2}]", members);
        Assert.True(claimsHub);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"peerId\":\"x\"}")]
    public void No_other_members_gives_an_empty_member_list(string? json) => Assert.Equal(string.Empty, Split(json).Members);

    [Theory]
    [InlineData("{\"isHub\":\"true\"}")]
    [InlineData("{\"isHub\":1}")]
    [InlineData("{\"isHub\":true,\"isHub\":false}")]
    public void Only_a_literal_true_claims_a_hub(string json) => Assert.False(Split(json).ClaimsHub);
}
