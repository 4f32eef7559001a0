using System.Collections.Concurrent;
using System.Diagnostics;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// churn: --rate times a second a new peer connects, announces, says goodbye and closes; reports the achieved rate,
/// errors and connect / whole-cycle latency. Starts are paced open loop; beyond --max-inflight they are skipped.
/// </summary>
internal static class ChurnScenario
{
    public static async Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline)
    {
        var url = args.WebSocketUri("url");
        var rate = args.Double("rate", 0.1, 100_000);
        var duration = args.Seconds("duration", 0.1, 3600);
        var count = args.Int("count", 1, int.MaxValue);
        var maxInFlight = args.Int("max-inflight", 1, 100_000);
        var network = $"{args.String("network")}-{PeerIds.NewRunId()}";
        var errors = new ErrorTally();
        var connect = new LatencyHistogram();
        var cycle = new LatencyHistogram();
        result.Latencies["connect"] = connect;
        result.Latencies["connect+announce+goodbye+close"] = cycle;
        long started = 0, skipped = 0, inFlight = 0, framesIn = 0;
        var running = new ConcurrentDictionary<long, Task>();

        async Task CycleAsync(long id)
        {
            var begin = Stopwatch.GetTimestamp();
            try
            {
                var client = await BenchClient.ConnectAsync(url, PeerIds.New(), frame =>
                {
                    Interlocked.Increment(ref framesIn);
                    if (frame.Type == "error")
                    {
                        errors.Add("server error: " + frame.Root.GetProperty("error"));
                    }

                    return ValueTask.CompletedTask;
                }, deadline);
                connect.RecordElapsed(begin, Stopwatch.GetTimestamp());
                await using (client)
                {
                    await client.AnnounceAsync(network, deadline);
                    await client.GoodbyeAsync(network, deadline);
                    await client.CloseAsync(TimeSpan.FromSeconds(2));
                }

                cycle.RecordElapsed(begin, Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add((e.InnerException ?? e).Message);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
                running.TryRemove(id, out _);
            }
        }

        var phase = "churning";
        var processes = ServerProcesses.FromArguments(args);
        var cpuFrom = processes.Cpu();
        CpuSample? cpuUntil = null;
        var begin = Stopwatch.GetTimestamp();
        await using (new ProgressLine(args.Flag("quiet"), () =>
            $"{phase}: started {Interlocked.Read(ref started)}, completed {cycle.Count}, in flight {Interlocked.Read(ref inFlight)}, "
            + $"skipped {Interlocked.Read(ref skipped)}, errors {errors.Total}"))
        {
            try
            {
                var end = begin + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                var interval = Stopwatch.Frequency / rate;
                for (long k = 0; k < count; k++)
                {
                    var due = begin + (long)(k * interval);
                    if (due >= end)
                    {
                        break;
                    }

                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, deadline);
                    }

                    if (Interlocked.Read(ref inFlight) >= maxInFlight)
                    {
                        Interlocked.Increment(ref skipped);
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    Interlocked.Increment(ref started);
                    running[k] = CycleAsync(k);
                }

                phase = "finishing";
                await Task.WhenAll(running.Values).WaitAsync(deadline);
                cpuUntil = processes.Cpu();
            }
            finally
            {
                var seconds = Math.Min(duration.TotalSeconds, Stopwatch.GetElapsedTime(begin).TotalSeconds);
                result.Metrics["started"] = Interlocked.Read(ref started);
                result.Metrics["completed"] = cycle.Count;
                result.Metrics["skipped"] = Interlocked.Read(ref skipped);
                result.Metrics["offeredPerSecond"] = rate;
                result.Metrics["achievedPerSecond"] = Math.Round(cycle.Count / Math.Max(seconds, 0.001), 1);
                result.Metrics["framesReceived"] = Interlocked.Read(ref framesIn);
                if (processes.Any && cpuUntil is not null)
                {
                    result.Metrics["serverCpu"] = processes.CpuReport(cpuFrom, cpuUntil, cycle.Count, "connect+announce+goodbye+close cycle");
                }

                result.Metrics["errors"] = errors.Total;
                result.Metrics["errorKinds"] = errors.ToJson();
                if (errors.Total > 0 || Interlocked.Read(ref skipped) > 0 || cycle.Count < Interlocked.Read(ref started))
                {
                    result.Fail($"{cycle.Count} of {Interlocked.Read(ref started)} cycles completed, {Interlocked.Read(ref skipped)} skipped, {errors.Total} errors");
                }
            }
        }
    }
}
