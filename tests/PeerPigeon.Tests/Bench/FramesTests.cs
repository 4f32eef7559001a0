using System.Text.Json;
using PeerPigeon.Bench.Protocol;

namespace PeerPigeon.Tests.Bench;

public sealed class FramesTests
{
    [Fact]
    public void An_ice_candidate_frame_is_relayable_and_about_250_bytes()
    {
        var frame = Frames.IceCandidate(PeerIds.New(), "bench-relay-0123456789abcdef-49", int.MaxValue, long.MaxValue);
        Assert.InRange(frame.Length, 200, 320);
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        Assert.Equal("ice-candidate", root.GetProperty("type").GetString());
        Assert.Equal(40, root.GetProperty("targetPeerId").GetString()!.Length);
        Assert.StartsWith("candidate:", root.GetProperty("data").GetProperty("candidate").GetString(), StringComparison.Ordinal);
        Assert.Equal(int.MaxValue, root.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal(long.MaxValue, root.GetProperty("data").GetProperty("sent").GetInt64());
    }
}
