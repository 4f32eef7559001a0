using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Reporting;
using PeerPigeon.Bench.Scenarios;

if (ParsedArguments.IsHelp(args))
{
    Console.Out.Write(HelpText.Render());
    return 0;
}

try
{
    var parsed = ParsedArguments.Parse(args);
    return (int)await BenchRun.RunAsync(parsed);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    return 2;
}
