using System.Globalization;

namespace PeerPigeon.Bench.Reporting;

/// <summary>The one-screen summary printed on stdout at the end of a run.</summary>
internal static class HumanSummary
{
    public static void Write(BenchResult result, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {result.Scenario}: {result.Status} in {result.Elapsed.TotalSeconds:0.0} s on {MachineInfo.Describe()} =="));
        output.WriteLine("parameters: " + string.Join(' ', result.Parameters.Select(p => $"{p.Key}={p.Value?.ToJsonString()}")));
        foreach (var (name, value) in result.Metrics)
        {
            output.WriteLine($"  {name,-28} {value?.ToJsonString()}");
        }

        foreach (var (name, histogram) in result.Latencies)
        {
            output.WriteLine($"  {name + " latency",-28} {histogram.Describe()}");
        }

        foreach (var note in result.Notes)
        {
            output.WriteLine("note: " + note);
        }
    }
}
