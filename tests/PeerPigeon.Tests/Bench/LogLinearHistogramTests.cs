using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Tests.Bench;

public sealed class LogLinearHistogramTests
{
    [Fact]
    public void An_empty_histogram_reports_zeros()
    {
        var histogram = new LogLinearHistogram(1_000_000);
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Mean);
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LogLinearHistogram(1_000_000);
        for (var v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(100, histogram.Count);
        Assert.Equal(50, histogram.ValueAtPercentile(50));
        Assert.Equal(99, histogram.ValueAtPercentile(99));
        Assert.Equal(100, histogram.ValueAtPercentile(100));
        Assert.Equal(100, histogram.Max);
        Assert.Equal(50.5, histogram.Mean);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1_000)]
    [InlineData(123_456)]
    [InlineData(59_999_999)]
    [InlineData(299_999_999_999)]
    public void Every_value_lands_in_a_bucket_whose_bound_is_within_one_percent(long value)
    {
        var index = LogLinearHistogram.IndexOf(value);
        var upper = LogLinearHistogram.UpperBound(index);
        Assert.True(upper >= value, $"bucket {index} ends at {upper}, below {value}");
        Assert.True(upper - value <= value / 100, $"bucket {index} ends at {upper}, more than 1 % above {value}");
        Assert.True(index == 0 || LogLinearHistogram.UpperBound(index - 1) < value, $"{value} belongs to an earlier bucket than {index}");
    }

    [Fact]
    public void Percentiles_of_a_uniform_spread_are_within_one_percent()
    {
        var histogram = new LogLinearHistogram(10_000_000);
        for (var v = 1; v <= 100_000; v++)
        {
            histogram.Record(v * 10L);
        }

        foreach (var (percentile, expected) in new[] { (50.0, 500_000L), (95.0, 950_000L), (99.0, 990_000L), (99.9, 999_000L) })
        {
            var actual = histogram.ValueAtPercentile(percentile);
            Assert.True(Math.Abs(actual - expected) <= expected / 100, $"p{percentile}: expected about {expected}, got {actual}");
        }

        Assert.Equal(1_000_000, histogram.Max);
        Assert.Equal(1_000_000, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Values_above_the_highest_are_clamped_and_counted_by_the_latency_histogram()
    {
        var latency = new LatencyHistogram();
        latency.RecordMicroseconds(LatencyHistogram.HighestMicroseconds * 2);
        latency.RecordMicroseconds(-5);
        Assert.Equal(2, latency.Count);
        Assert.Equal(1, latency.Clamped);
        Assert.Equal(LatencyHistogram.HighestMicroseconds, latency.Max);
        Assert.Equal(0, latency.Percentile(50));
    }

    [Fact]
    public async Task Concurrent_recording_loses_no_sample_and_can_be_read_meanwhile()
    {
        var histogram = new LogLinearHistogram(1_000_000);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Record((i % 1000) + w);
            }
        })).ToArray();
        while (!writers.All(t => t.IsCompleted))
        {
            Assert.True(histogram.ValueAtPercentile(99) <= 1003, "a read during recording returned a value never recorded");
            await Task.Yield();
        }

        await Task.WhenAll(writers);
        Assert.Equal(200_000, histogram.Count);
        Assert.Equal(1002, histogram.Max);
    }
}
