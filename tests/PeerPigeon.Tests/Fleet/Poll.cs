using System.Diagnostics;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// Bounded polling for state only observable by asking (HTTP figures, process health), with an explicit deadline.
/// A timeout fails with what was expected and the last thing seen.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the probe's result; returns that result and how long it took.
    /// </summary>
    public static async Task<(T Value, TimeSpan Elapsed)> UntilAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        string expectation,
        TimeSpan timeout,
        Func<T, string>? describe = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(Interval);
        var attempts = 0;
        while (true)
        {
            var value = await probe();
            attempts++;
            if (done(value))
            {
                return (value, Stopwatch.GetElapsedTime(started));
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                var last = describe is null ? value?.ToString() ?? "null" : describe(value);
                Assert.Fail($"Expected {expectation} within {timeout.TotalSeconds:0.#} s; after {attempts} checks the last one saw: {last}");
            }

            await timer.WaitForNextTickAsync();
        }
    }
}
