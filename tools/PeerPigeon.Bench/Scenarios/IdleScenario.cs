using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// idle: opens --connections sockets, announces them in networks of --network-size, holds them for --hold seconds and
/// reports connect rate, errors and the resident memory growth per connection of every --pid (and of the bench).
/// </summary>
internal static class IdleScenario
{
    public static async Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline)
    {
        var url = args.WebSocketUri("url");
        var count = args.Int("connections", 1, 1_000_000);
        var networkSize = args.Int("network-size", 1, 100_000);
        var hold = args.Seconds("hold", 0, 3600);
        var concurrency = args.Int("connect-concurrency", 1, 10_000);
        var pids = args.Strings("pid").Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid : throw new UsageException($"--pid must be a process id, got '{p}'.")).ToArray();
        foreach (var pid in pids.Where(p => ProcessMemory.ResidentKilobytes(p) is null))
        {
            throw new UsageException($"--pid {pid}: /proc/{pid}/status is not readable; is the server running on this machine?");
        }

        var prefix = $"{args.String("network")}-{PeerIds.NewRunId()}";
        var errors = new ErrorTally();
        var connect = new LatencyHistogram();
        result.Latencies["connect"] = connect;
        long discoveries = 0;
        var expected = Enumerable.Range(0, (count + networkSize - 1) / networkSize)
            .Sum(n => { long k = Math.Min(networkSize, count - (n * networkSize)); return k * (k - 1); });
        ValueTask OnFrame(ReceivedFrame frame)
        {
            if (frame.Type == "peer-discovered")
            {
                Interlocked.Increment(ref discoveries);
            }
            else if (frame.Type == "error")
            {
                errors.Add("server error: " + frame.Root.GetProperty("error"));
            }

            return ValueTask.CompletedTask;
        }

        var before = Snapshot(pids);
        var phase = "connecting";
        var clients = Array.Empty<BenchClient?>();
        await using (new ProgressLine(args.Flag("quiet"), () =>
            $"{phase}: connected {connect.Count}/{count}, discoveries {Interlocked.Read(ref discoveries)}/{expected}, errors {errors.Total}"))
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                clients = await Sockets.ConnectManyAsync(count, _ => (url, PeerIds.New(), OnFrame), concurrency, connect, errors, deadline);
                var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                result.Metrics["connected"] = connect.Count;
                result.Metrics["connectSeconds"] = Math.Round(connectSeconds, 3);
                result.Metrics["connectsPerSecond"] = Math.Round(connect.Count / connectSeconds, 1);

                phase = "announcing";
                await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline },
                    async (i, ct) =>
                    {
                        if (clients[i] is { } client)
                        {
                            await client.AnnounceAsync($"{prefix}-{i / networkSize}", ct);
                        }
                    });
                var settleUntil = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
                while (Interlocked.Read(ref discoveries) < expected && Stopwatch.GetTimestamp() < settleUntil)
                {
                    await Task.Delay(50, deadline);
                }

                result.Metrics["discoveriesExpected"] = expected;
                result.Metrics["discoveriesReceived"] = Interlocked.Read(ref discoveries);
                await Task.Delay(TimeSpan.FromSeconds(1), deadline);
                var announced = Snapshot(pids);
                phase = "holding";
                await Task.Delay(hold, deadline);
                var held = Snapshot(pids);
                var open = clients.Count(c => c is not null && !c.Receiving.IsCompleted);
                result.Metrics["openAfterHold"] = open;
                result.Metrics["memory"] = Memory(before, announced, held, connect.Count);
                if (open != connect.Count)
                {
                    result.Fail($"{connect.Count - open} sockets closed during the hold");
                }
            }
            finally
            {
                result.Metrics["errors"] = errors.Total;
                result.Metrics["errorKinds"] = errors.ToJson();
                if (connect.Count < count || errors.Total > 0)
                {
                    result.Fail($"{count - connect.Count} of {count} sockets failed to connect; {errors.Total} errors");
                }

                if (Interlocked.Read(ref discoveries) < expected)
                {
                    result.Fail($"{expected - Interlocked.Read(ref discoveries)} discoveries missing");
                }

                phase = "closing";
                await Sockets.CloseAllAsync(clients, concurrency);
            }
        }
    }

    /// <summary>VmRSS in KB of each --pid and of the bench itself ("bench").</summary>
    private static Dictionary<string, long?> Snapshot(int[] pids)
    {
        var snapshot = pids.ToDictionary(p => p.ToString(CultureInfo.InvariantCulture), ProcessMemory.ResidentKilobytes);
        snapshot["bench"] = ProcessMemory.ResidentKilobytes(Environment.ProcessId);
        return snapshot;
    }

    private static JsonObject Memory(Dictionary<string, long?> before, Dictionary<string, long?> announced, Dictionary<string, long?> held, long connections)
    {
        var json = new JsonObject();
        foreach (var (process, rssBefore) in before)
        {
            var rssAnnounced = announced[process];
            var rssHeld = held[process];
            json[process] = new JsonObject
            {
                ["rssBeforeKb"] = rssBefore,
                ["rssAnnouncedKb"] = rssAnnounced,
                ["rssAfterHoldKb"] = rssHeld,
                ["kbPerConnection"] = rssBefore is { } b && rssHeld is { } h && connections > 0
                    ? Math.Round((h - b) / (double)connections, 2) : null,
            };
        }

        return json;
    }
}
