using System.Text.Json;
using System.Text.Json.Nodes;

namespace PeerPigeon.Bench.Reporting;

/// <summary>Everything a run measured: parameters, counters, latency histograms and notes; rendered as JSON.</summary>
internal sealed class BenchResult(string scenario)
{
    public string Scenario { get; } = scenario;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public RunStatus Status { get; private set; } = RunStatus.Ok;

    public JsonObject Parameters { get; } = [];

    /// <summary>Counters, rates and timings; key order is the order of the human summary.</summary>
    public JsonObject Metrics { get; } = [];

    public Dictionary<string, LatencyHistogram> Latencies { get; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; } = [];

    public TimeSpan Elapsed { get; set; }

    /// <summary>Marks the run failed (a timeout stays a timeout) and says why.</summary>
    public void Fail(string why)
    {
        if (Status == RunStatus.Ok)
        {
            Status = RunStatus.Failed;
        }

        Notes.Add(why);
    }

    public void TimedOut(string why)
    {
        Status = RunStatus.TimedOut;
        Notes.Add(why);
    }

    public JsonObject ToJson()
    {
        var latencies = new JsonObject();
        foreach (var (name, histogram) in Latencies)
        {
            latencies[name] = histogram.ToJson();
        }

        return new JsonObject
        {
            ["tool"] = "PeerPigeon.Bench",
            ["scenario"] = Scenario,
            ["status"] = Status.ToString(),
            ["startedAt"] = StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["elapsedSeconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            ["machine"] = MachineInfo.ToJson(),
            ["parameters"] = Parameters.DeepClone(),
            ["metrics"] = Metrics.DeepClone(),
            ["latencies"] = latencies,
            ["notes"] = new JsonArray([.. Notes.Select(n => (JsonNode?)n)]),
        };
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var stream = File.Create(path);
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        ToJson().WriteTo(writer);
    }
}
