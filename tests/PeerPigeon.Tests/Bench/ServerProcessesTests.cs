using System.Diagnostics;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Tests.Bench;

public sealed class ServerProcessesTests
{
    [Theory]
    [InlineData("4242 (dotnet) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 12 0 900 0 0", 2_810_000)]
    [InlineData("7 (a b) c)) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 0 0", 70_000)]
    public void Cpu_time_is_utime_plus_stime_after_the_command_name(string stat, long expectedMicroseconds) =>
        Assert.Equal(expectedMicroseconds, ServerProcesses.ParseCpuMicroseconds(stat));

    [Theory]
    [InlineData("")]
    [InlineData("no parenthesis at all")]
    [InlineData("1 (x) S 1 2")]
    [InlineData("1 (x) S 1 2 3 4 5 6 7 8 9 ten 11")]
    public void A_malformed_stat_reads_as_unknown(string stat) => Assert.Null(ServerProcesses.ParseCpuMicroseconds(stat));

    [Fact]
    public void This_process_cpu_time_grows_while_it_computes() // Linux (/proc), like every bench measurement
    {
        var before = ServerProcesses.CpuMicroseconds(Environment.ProcessId);
        Assert.NotNull(before);

        // Spin until the kernel has accounted at least two ticks (20 ms) to this process, bounded at 10 s.
        var spinning = Stopwatch.StartNew();
        long? now = before;
        while (now - before < 20_000 && spinning.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.SpinWait(100_000);
            now = ServerProcesses.CpuMicroseconds(Environment.ProcessId);
        }

        Assert.True(now - before >= 20_000, $"expected the CPU time to grow by 20 ms within 10 s of spinning; it grew by {(now - before) / 1000} ms");
    }
}
