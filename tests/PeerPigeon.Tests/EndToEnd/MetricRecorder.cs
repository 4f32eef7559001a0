using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// Collects the measurements of one instrument of one server: only meters created by that server's
/// <see cref="IMeterFactory"/> are listened to, so servers running in parallel in this process do not mix.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<RecordedMeasurement> _measurements = [];
    private readonly string _instrumentName;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Starts recording <paramref name="instrumentName"/> of meter <paramref name="meterName"/> in <paramref name="services"/>.</summary>
    public MetricRecorder(IServiceProvider services, string meterName, string instrumentName)
    {
        _instrumentName = instrumentName;
        var scope = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
    }

    /// <summary>Everything recorded so far, in order.</summary>
    public IReadOnlyList<RecordedMeasurement> Snapshot()
    {
        lock (_measurements)
        {
            return [.. _measurements];
        }
    }

    /// <summary>
    /// Waits, bounded, until the measurements so far satisfy <paramref name="condition"/> and returns them; fails
    /// with <paramref name="expectation"/> and what was recorded otherwise.
    /// </summary>
    public async Task<IReadOnlyList<RecordedMeasurement>> WaitUntilAsync(
        Func<IReadOnlyList<RecordedMeasurement>, bool> condition, string expectation, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestPeer.DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            IReadOnlyList<RecordedMeasurement> snapshot;
            lock (_measurements)
            {
                changed = _changed.Task;
                snapshot = [.. _measurements];
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Expected {expectation} on {_instrumentName} within {limit.TotalSeconds:0.#} s; recorded: "
                    + (snapshot.Count == 0 ? "nothing" : string.Join("; ", snapshot)));
            }
        }
    }

    /// <summary>Waits until the values of the measurements matching <paramref name="match"/> add up to at least <paramref name="total"/>.</summary>
    public Task<IReadOnlyList<RecordedMeasurement>> WaitForSumAsync(double total, string expectation, Func<RecordedMeasurement, bool>? match = null) =>
        WaitUntilAsync(measurements => Sum(measurements, match) >= total, expectation);

    /// <summary>The sum of the values of <paramref name="measurements"/> matching <paramref name="match"/> (all without it).</summary>
    public static double Sum(IEnumerable<RecordedMeasurement> measurements, Func<RecordedMeasurement, bool>? match = null) =>
        measurements.Where(measurement => match?.Invoke(measurement) ?? true).Sum(measurement => measurement.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        TaskCompletionSource signal;
        lock (_measurements)
        {
            _measurements.Add(new RecordedMeasurement(value, copy));
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
