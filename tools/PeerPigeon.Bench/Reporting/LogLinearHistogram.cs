namespace PeerPigeon.Bench.Reporting;

/// <summary>
/// Counts of non-negative integers in log-linear buckets, as in an HDR histogram: values below 256 exactly, then every
/// power of two split into 128 equal buckets (relative error below 0.8 %). Fixed memory (about 33 KB for 2^40), safe
/// to record from many threads at once and to read while recording (a read sees a consistent-enough snapshot).
/// </summary>
internal sealed class LogLinearHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;
    private readonly long[] counts;
    private long total;
    private long max;
    private long sum;

    /// <param name="highestValue">Largest value recorded as such; larger ones are recorded as it.</param>
    public LogLinearHistogram(long highestValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(highestValue, 1);
        HighestValue = highestValue;
        counts = new long[IndexOf(highestValue) + 1];
    }

    public long HighestValue { get; }

    public long Count => Interlocked.Read(ref total);

    public long Max => Interlocked.Read(ref max);

    public double Mean => Count == 0 ? 0 : (double)Interlocked.Read(ref sum) / Count;

    public void Record(long value)
    {
        value = Math.Clamp(value, 0, HighestValue);
        Interlocked.Increment(ref counts[IndexOf(value)]);
        Interlocked.Add(ref sum, value);
        Interlocked.Increment(ref total);
        var seen = Interlocked.Read(ref max);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref max, value, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// The smallest bucket upper bound at or below which <paramref name="percentile"/> % of the values lie (never above
    /// <see cref="Max"/>); 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100 * count));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += Interlocked.Read(ref counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), Max);
            }
        }

        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(value);
        var shift = exponent - SubBucketBits;
        var sub = (int)(value >> shift) - SubBuckets;
        return LinearLimit + ((exponent - SubBucketBits - 1) * SubBuckets) + sub;
    }

    /// <summary>The largest value that falls into bucket <paramref name="index"/>.</summary>
    internal static long UpperBound(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var octave = (index - LinearLimit) / SubBuckets;
        var sub = (index - LinearLimit) % SubBuckets;
        var shift = octave + 1;
        return ((long)(SubBuckets + sub + 1) << shift) - 1;
    }
}
