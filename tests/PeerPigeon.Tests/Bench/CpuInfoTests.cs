using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Tests.Bench;

public sealed class CpuInfoTests
{
    [Theory]
    [InlineData("0", 1)]
    [InlineData("1", 1)]
    [InlineData("0-1", 2)]
    [InlineData("0-3,8,10-11", 7)]
    [InlineData(" 0-7\n", 8)]
    public void A_cpu_list_counts_every_cpu_it_names(string list, int expected) =>
        Assert.Equal(expected, CpuInfo.CountList(list));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("3-1")]
    [InlineData("0-")]
    public void A_malformed_cpu_list_counts_as_unknown(string? list) => Assert.Null(CpuInfo.CountList(list));

    [Fact]
    public void On_linux_the_affinity_is_read_and_never_exceeds_the_machine()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.NotNull(CpuInfo.MachineOnlineCount);
        Assert.NotNull(CpuInfo.AffinityCount);
        Assert.InRange(CpuInfo.AffinityCount!.Value, 1, CpuInfo.MachineOnlineCount!.Value);
    }
}
