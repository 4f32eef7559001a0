using System.Diagnostics;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// join-storm: --peers sockets are opened first, then all announce into one network as fast as possible; measures the
/// time until each peer has discovered every other one, and the discoveries delivered.
/// </summary>
internal static class JoinStormScenario
{
    public static async Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline)
    {
        var url = args.WebSocketUri("url");
        var count = args.Int("peers", 2, 100_000);
        var concurrency = args.Int("connect-concurrency", 1, 10_000);
        var network = $"{args.String("network")}-{PeerIds.NewRunId()}";
        var errors = new ErrorTally();
        var connect = new LatencyHistogram();
        var fullDiscovery = new LatencyHistogram();
        result.Latencies["connect"] = connect;
        result.Latencies["full discovery (from storm start)"] = fullDiscovery;
        var peers = Enumerable.Range(0, count).Select(_ => new StormPeer(PeerIds.New())).ToArray();
        var storm = new StormState();
        var processes = ServerProcesses.FromArguments(args);
        CpuSample? cpuFrom = null, cpuUntil = null;

        var phase = "connecting";
        var clients = Array.Empty<BenchClient?>();
        await using (new ProgressLine(args.Flag("quiet"), () =>
            $"{phase}: connected {connect.Count}/{count}, discoveries {Interlocked.Read(ref storm.Delivered)}, "
            + $"peers complete {fullDiscovery.Count}, errors {errors.Total}"))
        {
            try
            {
                clients = await Sockets.ConnectManyAsync(count, i => (url, peers[i].PeerId, frame =>
                {
                    storm.Observe(peers[i], frame, fullDiscovery, errors);
                    return ValueTask.CompletedTask;
                }), concurrency, connect, errors, deadline);
                var joined = clients.OfType<BenchClient>().ToArray();
                result.Metrics["connected"] = joined.Length;
                storm.Arm(joined.Length);

                phase = "storming";
                cpuFrom = processes.Cpu();
                await Parallel.ForEachAsync(joined, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline },
                    (client, ct) => new ValueTask(client.AnnounceAsync(network, ct)));
                result.Metrics["announceSendSeconds"] = Math.Round(Stopwatch.GetElapsedTime(storm.StartedAt).TotalSeconds, 3);
                await storm.AllComplete.WaitAsync(deadline);
                cpuUntil = processes.Cpu();
            }
            finally
            {
                var expected = (long)storm.Members * (storm.Members - 1);
                var delivered = Interlocked.Read(ref storm.Delivered);
                var last = Interlocked.Read(ref storm.LastCompletedAt);
                result.Metrics["discoveriesExpected"] = expected;
                result.Metrics["discoveriesDelivered"] = delivered;
                result.Metrics["peersComplete"] = fullDiscovery.Count;
                if (last > 0)
                {
                    var seconds = Stopwatch.GetElapsedTime(storm.StartedAt, last).TotalSeconds;
                    result.Metrics["timeToFullDiscoverySeconds"] = Math.Round(seconds, 3);
                    result.Metrics["discoveriesPerSecond"] = Math.Round(delivered / Math.Max(seconds, 0.001), 1);
                }

                if (processes.Any && cpuFrom is not null && cpuUntil is not null)
                {
                    result.Metrics["serverCpu"] = processes.CpuReport(cpuFrom, cpuUntil, delivered, "discovery");
                }

                result.Metrics["errors"] = errors.Total;
                result.Metrics["errorKinds"] = errors.ToJson();
                if (delivered < expected || storm.Members < count || errors.Total > 0)
                {
                    result.Fail($"{storm.Members} of {count} peers joined; {delivered} of {expected} discoveries; {errors.Total} errors");
                }

                phase = "closing";
                await Sockets.CloseAllAsync(clients, concurrency);
            }
        }
    }

    /// <summary>One peer's view: the distinct peers it was told about (touched only by its receive loop).</summary>
    private sealed class StormPeer(string peerId)
    {
        public string PeerId { get; } = peerId;

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }

    private sealed class StormState
    {
        private readonly TaskCompletionSource complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int remaining = int.MaxValue;
        public long Delivered;
        public long LastCompletedAt;

        public int Members { get; private set; }

        public long StartedAt { get; private set; }

        public Task AllComplete => complete.Task;

        public void Arm(int members)
        {
            Members = members;
            Volatile.Write(ref remaining, members);
            StartedAt = Stopwatch.GetTimestamp();
        }

        public void Observe(StormPeer peer, ReceivedFrame frame, LatencyHistogram fullDiscovery, ErrorTally errors)
        {
            if (frame.Type == "error")
            {
                errors.Add("server error: " + frame.Root.GetProperty("error"));
                return;
            }

            if (frame.Type != "peer-discovered" || frame.DataPeerId is not { } other)
            {
                return;
            }

            Interlocked.Increment(ref Delivered);
            if (peer.Seen.Add(other) && peer.Seen.Count == Members - 1)
            {
                fullDiscovery.RecordElapsed(StartedAt, frame.ReceivedAt);
                long seen;
                while ((seen = Interlocked.Read(ref LastCompletedAt)) < frame.ReceivedAt
                    && Interlocked.CompareExchange(ref LastCompletedAt, frame.ReceivedAt, seen) != seen)
                {
                    // Another peer completed at the same time; retry until the latest completion is kept.
                }
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    complete.TrySetResult();
                }
            }
        }
    }
}
