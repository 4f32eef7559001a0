using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PeerPigeon.Bench.Reporting;

/// <summary>
/// Latencies in microseconds in a log-linear (HDR-style) histogram: up to 5 minutes, under 0.8 % relative error, bounded
/// memory whatever the count. Safe to record from many threads and read meanwhile. Values beyond the range are clamped
/// and counted.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Largest value recorded as such, in microseconds (5 minutes).</summary>
    public const long HighestMicroseconds = 300_000_000;

    private readonly LogLinearHistogram histogram = new(HighestMicroseconds);
    private long clamped;

    public long Count => histogram.Count;

    /// <summary>Values above <see cref="HighestMicroseconds"/> (recorded as that value).</summary>
    public long Clamped => Interlocked.Read(ref clamped);

    public void RecordMicroseconds(long microseconds)
    {
        if (microseconds > HighestMicroseconds)
        {
            Interlocked.Increment(ref clamped);
            microseconds = HighestMicroseconds;
        }

        histogram.Record(microseconds);
    }

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public void RecordElapsed(long startTimestamp, long endTimestamp) =>
        RecordMicroseconds((long)Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds);

    /// <summary>The value at <paramref name="percentile"/> (0-100) in microseconds; 0 when empty.</summary>
    public long Percentile(double percentile) => histogram.ValueAtPercentile(percentile);

    public long Max => histogram.Max;

    public double Mean => histogram.Mean;

    public JsonObject ToJson() => new()
    {
        ["unit"] = "us",
        ["count"] = Count,
        ["mean"] = Math.Round(Mean, 1),
        ["p50"] = Percentile(50),
        ["p90"] = Percentile(90),
        ["p95"] = Percentile(95),
        ["p99"] = Percentile(99),
        ["p999"] = Percentile(99.9),
        ["max"] = Max,
        ["clamped"] = Clamped,
    };

    /// <summary>One line for the human summary, in milliseconds.</summary>
    public string Describe() => Count == 0
        ? "no samples"
        : FormattableString.Invariant(
            $"p50 {Ms(Percentile(50))}  p95 {Ms(Percentile(95))}  p99 {Ms(Percentile(99))}  max {Ms(Max)} ms  (n={Count})");

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
