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
/// Speaks --protocol; without discovery (PeerJS) the sockets are only opened (and kept alive by the protocol's heartbeat).
/// </summary>
internal static class IdleScenario
{
    public static async Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline)
    {
        var url = args.WebSocketUri("url");
        var count = args.Int("connections", 1, 1_000_000);
        var steps = args.Int("steps", 1, 100);
        var networkSize = args.Int("network-size", 1, 100_000);
        var hold = args.Seconds("hold", 0, 3600);
        var concurrency = args.Int("connect-concurrency", 1, 10_000);
        var protocol = WireProtocols.FromArguments(args);
        var processes = ServerProcesses.FromArguments(args);

        var prefix = $"{args.String("network")}-{PeerIds.NewRunId()}";
        var errors = new ErrorTally();
        var connect = new LatencyHistogram();
        result.Latencies["connect"] = connect;
        long discoveries = 0;
        long Expected(int n) => !protocol.HasDiscovery ? 0 : Enumerable.Range(0, (n + networkSize - 1) / networkSize)
            .Sum(k => { long m = Math.Min(networkSize, n - (k * networkSize)); return m * (m - 1); });
        var expected = Expected(count);
        ValueTask OnFrame(ReceivedFrame frame)
        {
            if (frame.Kind == FrameKind.Discovered)
            {
                Interlocked.Increment(ref discoveries);
            }
            else if (frame.Kind == FrameKind.Error)
            {
                errors.Add("server error: " + frame.ErrorText);
            }

            return ValueTask.CompletedTask;
        }

        var before = processes.Memory();
        var phase = "connecting";
        var clients = new BenchClient?[count];
        var curve = new JsonArray();
        await using (new ProgressLine(args.Flag("quiet"), () =>
            $"{phase}: connected {connect.Count}/{count}, discoveries {Interlocked.Read(ref discoveries)}/{expected}, errors {errors.Total}"))
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var connectSeconds = 0.0;
                var done = 0;
                Dictionary<string, long?> announced = before;
                if (!protocol.HasDiscovery)
                {
                    result.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"discovery not applicable: --protocol {protocol.Name} has no announce or discovery; the sockets were only opened, "
                        + $"with a heartbeat every {protocol.HeartbeatInterval?.TotalSeconds ?? 0:0.#} s (memory is read 1 s after each step connected)"));
                }

                for (var step = 1; step <= steps; step++)
                {
                    var target = (int)((long)count * step / steps);
                    phase = steps == 1 ? "connecting" : $"step {step}/{steps}: connecting";
                    var from = done;
                    var stepStarted = Stopwatch.GetTimestamp();
                    var opened = await Sockets.ConnectManyAsync(target - from, _ => (url, PeerIds.New(), OnFrame), protocol, concurrency, connect, errors, deadline);
                    connectSeconds += Stopwatch.GetElapsedTime(stepStarted).TotalSeconds;
                    opened.CopyTo(clients, from);
                    done = target;

                    if (protocol.HasDiscovery)
                    {
                        phase = steps == 1 ? "announcing" : $"step {step}/{steps}: announcing";
                        await Parallel.ForAsync(from, target, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline },
                            async (i, ct) =>
                            {
                                if (clients[i] is { } client)
                                {
                                    await client.AnnounceAsync($"{prefix}-{i / networkSize}", ct);
                                }
                            });
                        var stepExpected = Expected(target);
                        var settleUntil = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
                        while (Interlocked.Read(ref discoveries) < stepExpected && Stopwatch.GetTimestamp() < settleUntil)
                        {
                            await Task.Delay(50, deadline);
                        }
                    }

                    // A second for the server to finish the work the last discoveries started, then read memory.
                    await Task.Delay(TimeSpan.FromSeconds(1), deadline);
                    announced = processes.Memory();
                    curve.Add(Point(before, announced, clients.Take(target).Count(c => c is not null)));
                }

                result.Metrics["connected"] = connect.Count;
                result.Metrics["connectSeconds"] = Math.Round(connectSeconds, 3);
                result.Metrics["connectsPerSecond"] = Math.Round(connect.Count / connectSeconds, 1);
                result.Metrics["totalSeconds"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3);
                if (protocol.HasDiscovery)
                {
                    result.Metrics["discoveriesExpected"] = expected;
                    result.Metrics["discoveriesReceived"] = Interlocked.Read(ref discoveries);
                }
                phase = "holding";
                await Task.Delay(hold, deadline);
                var held = processes.Memory();
                var open = clients.Count(c => c is not null && !c.Receiving.IsCompleted);
                result.Metrics["openAfterHold"] = open;
                result.Metrics["memory"] = Memory(before, announced, held, connect.Count);
                if (steps > 1)
                {
                    result.Metrics["memoryCurve"] = curve;
                }

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

    /// <summary>One point of the memory curve: connections open and each process's VmRSS growth since the start.</summary>
    private static JsonObject Point(Dictionary<string, long?> before, Dictionary<string, long?> now, int connections)
    {
        var point = new JsonObject { ["connections"] = connections };
        long? servers = 0;
        foreach (var (process, rssBefore) in before)
        {
            var grown = now[process] is { } rss && rssBefore is { } b ? rss - b : (long?)null;
            point[process] = grown;
            servers = process == "bench" ? servers : servers + grown;
        }

        point["servers"] = servers;
        return point;
    }

    private static JsonObject Memory(Dictionary<string, long?> before, Dictionary<string, long?> announced, Dictionary<string, long?> held, long connections)
    {
        // "servers": every --pid together (a gateway and a silo are one server to the user).
        static long? Servers(Dictionary<string, long?> rss) =>
            rss.Where(p => p.Key != "bench").Aggregate((long?)0, (sum, p) => sum + p.Value);
        before = new(before) { ["servers"] = Servers(before) };
        announced = new(announced) { ["servers"] = Servers(announced) };
        held = new(held) { ["servers"] = Servers(held) };
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
