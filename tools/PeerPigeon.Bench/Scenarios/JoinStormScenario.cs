using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

internal static class JoinStormScenario
{
    public static Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline) =>
        throw new UsageException("not implemented yet");
}
