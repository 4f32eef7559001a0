using System.Globalization;
using System.Text.Json.Nodes;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>Runs one scenario under the hard --timeout, then prints the summary and writes the JSON.</summary>
internal static class BenchRun
{
    /// <summary>How long past --timeout a scenario may take to hand back its partial result before the bench gives up.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    public static async Task<RunStatus> RunAsync(ParsedArguments args)
    {
        var timeout = args.Seconds("timeout", 1, 3600);
        var jsonPath = args.String("json");
        var result = new BenchResult(args.Scenario.Name);
        foreach (var (name, values) in args.All())
        {
            result.Parameters[name] = values.Count == 1 && !args.Scenario.Find(name)!.Repeatable
                ? Value(values[0])
                : new JsonArray([.. values.Select(Value)]);
        }

        using var deadline = new CancellationTokenSource(timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            deadline.Cancel();
        };

        var started = TimeProvider.System.GetTimestamp();
        var run = Task.Run(() => Dispatch(args, result, deadline.Token));
        if (await Task.WhenAny(run, Task.Delay(timeout + Grace)) != run)
        {
            result.TimedOut(string.Create(CultureInfo.InvariantCulture,
                $"the scenario did not stop within {Grace.TotalSeconds} s after --timeout {timeout.TotalSeconds} s; figures may be incomplete"));
        }
        else
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result.TimedOut(string.Create(CultureInfo.InvariantCulture, $"--timeout {timeout.TotalSeconds} s reached"));
            }
            catch (Exception e) when (e is not UsageException)
            {
                result.Fail($"the scenario failed: {e}");
            }
        }

        if (deadline.IsCancellationRequested && result.Status != RunStatus.TimedOut)
        {
            result.TimedOut(string.Create(CultureInfo.InvariantCulture, $"--timeout {timeout.TotalSeconds} s reached; partial result"));
        }

        result.Elapsed = TimeProvider.System.GetElapsedTime(started);
        HumanSummary.Write(result, Console.Out);
        if (jsonPath is not null)
        {
            await result.WriteJsonAsync(jsonPath);
        }

        if (result.Status == RunStatus.TimedOut)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"error: timed out after {timeout.TotalSeconds} s (--timeout); the figures above are what was measured until then."));
        }

        return result.Status;
    }

    private static Task Dispatch(ParsedArguments args, BenchResult result, CancellationToken deadline) => args.Scenario.Name switch
    {
        "relay" => RelayScenario.RunAsync(args, result, deadline),
        "idle" => IdleScenario.RunAsync(args, result, deadline),
        "join-storm" => JoinStormScenario.RunAsync(args, result, deadline),
        "churn" => ChurnScenario.RunAsync(args, result, deadline),
        _ => throw new UsageException($"Scenario '{args.Scenario.Name}' is not implemented."),
    };

    private static JsonNode? Value(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : text;
}
