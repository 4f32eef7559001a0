using System.Diagnostics;
using System.Globalization;
using PeerPigeon.Bench.Cli;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// relay: pairs exchange offer/answer through the server (one gateway, or A on --url and B on --url2); open loop at
/// --rate or closed loop with --window in flight; one-way and round-trip latency, loss, duplicates. Speaks --protocol;
/// without discovery (PeerJS) the pairs start as soon as both sockets are open.
/// </summary>
internal static class RelayScenario
{
    public static async Task RunAsync(ParsedArguments args, BenchResult result, CancellationToken deadline)
    {
        var url = args.WebSocketUri("url");
        var url2 = args.OptionalWebSocketUri("url2") ?? url;
        var pairCount = args.Int("pairs", 1, 50_000);
        var size = args.Int("size", 0, 1_000_000);
        var rate = args.Double("rate", 0, 10_000_000);
        var window = args.Int("window", 1, 10_000);
        var ice = args.Int("ice", 0, 1_000);
        var warmup = args.Seconds("warmup", 0, 3600);
        var duration = args.Seconds("duration", 0.1, 3600);
        var drain = args.Seconds("drain", 0, 600);
        var count = args.Int("count", 1, int.MaxValue);
        var concurrency = args.Int("connect-concurrency", 1, 10_000);
        var protocol = WireProtocols.FromArguments(args);
        var closedLoop = rate == 0;
        var processes = ServerProcesses.FromArguments(args);
        Task<(CpuSample From, CpuSample Until)?>? cpuWindow = null;

        var runId = PeerIds.NewRunId();
        var sdp = Frames.Sdp(size);
        var counters = new RelayCounters(count) { PairCount = pairCount };
        var connect = new LatencyHistogram();
        result.Latencies["connect"] = connect;
        result.Latencies["one-way A->B"] = counters.OneWay;
        result.Latencies["round-trip"] = counters.RoundTrip;
        if (ice > 0)
        {
            result.Latencies["ice one-way A->B"] = counters.IceOneWay;
        }

        result.Metrics["mode"] = closedLoop ? $"closed loop, window {window}" : "open loop";
        result.Metrics["frameBytes"] = protocol.Signal(FrameKind.Offer, PeerIds.New(), $"bench-relay-{runId}-{pairCount}", 0, long.MaxValue, sdp).Length;
        result.Metrics["iceFrameBytes"] = ice == 0 ? 0 : protocol.IceCandidate(PeerIds.New(), $"bench-relay-{runId}-{pairCount}", int.MaxValue, long.MaxValue).Length;

        var pairs = Enumerable.Range(0, pairCount)
            .Select(i => new RelayPair(i, $"bench-relay-{runId}-{i}", sdp, closedLoop ? window : 0, ice, counters, protocol))
            .ToArray();
        var phase = "connecting";
        var clients = Array.Empty<BenchClient?>();
        await using (new ProgressLine(args.Flag("quiet"), () => Status(phase, counters, connect)))
        {
            try
            {
                clients = await Sockets.ConnectManyAsync(pairCount * 2, i =>
                {
                    var pair = pairs[i / 2];
                    return i % 2 == 0
                        ? (url, pair.APeerId, pair.OnAFrameAsync)
                        : (url2, pair.BPeerId, pair.OnBFrameAsync);
                }, protocol, concurrency, connect, counters.Errors, deadline);
                foreach (var pair in pairs)
                {
                    pair.A = clients[pair.Index * 2];
                    pair.B = clients[(pair.Index * 2) + 1];
                }

                var ready = pairs.Where(p => p.A is not null && p.B is not null).ToArray();
                result.Metrics["pairsReady"] = ready.Length;
                if (ready.Length == 0)
                {
                    return;
                }

                if (protocol.HasDiscovery)
                {
                    phase = "announcing";
                    await Parallel.ForEachAsync(ready, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline },
                        async (pair, ct) =>
                        {
                            await pair.A!.AnnounceAsync(pair.Network, ct);
                            await pair.B!.AnnounceAsync(pair.Network, ct);
                        });
                    await Task.WhenAll(ready.Select(p => p.Discovered)).WaitAsync(deadline);
                }

                var start = Stopwatch.GetTimestamp();
                counters.MeasureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
                var end = counters.MeasureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                counters.MeasureUntil = end;
                cpuWindow = processes.Any ? processes.CpuBetweenAsync(counters.MeasureFrom, end, deadline) : null;
                phase = "warm-up";
                var warmupOver = Task.Delay(warmup, deadline).ContinueWith(_ => phase = "measuring", TaskScheduler.Default);
                var ticksPerOffer = closedLoop ? 0 : Stopwatch.Frequency * pairCount / rate;
                await Task.WhenAll(ready.Select(p => closedLoop
                    ? p.SendClosedLoopAsync(end, deadline)
                    : p.SendOpenLoopAsync(start, ticksPerOffer, end, deadline)));
                await warmupOver;

                phase = "draining";
                var drainUntil = Stopwatch.GetTimestamp() + (long)(drain.TotalSeconds * Stopwatch.Frequency);
                while (!counters.Drained && Stopwatch.GetTimestamp() < drainUntil)
                {
                    await Task.Delay(20, deadline);
                }
            }
            finally
            {
                counters.Frozen = true;
                Report(result, counters, pairs, duration, rate, drain);
                if (cpuWindow is { IsCompleted: true, Result: { } measured })
                {
                    // Server CPU over the measured window per message relayed in it (offers, answers, ICE).
                    result.Metrics["serverCpu"] = processes.CpuReport(measured.From, measured.Until,
                        Interlocked.Read(ref counters.OffersReceivedMeasured) + Interlocked.Read(ref counters.AnswersReceivedMeasured)
                        + Interlocked.Read(ref counters.IceReceivedMeasured), "relayed message");
                }

                phase = "closing";
                await Sockets.CloseAllAsync(clients, concurrency);
                foreach (var pair in pairs)
                {
                    pair.Dispose();
                }
            }
        }
    }

    private static void Report(BenchResult result, RelayCounters counters, RelayPair[] pairs, TimeSpan duration, double rate, TimeSpan drain)
    {
        var m = result.Metrics;
        // A run cut short by --timeout measured for less than --duration: rates are over the time actually measured.
        var until = Math.Min(Stopwatch.GetTimestamp(), counters.MeasureUntil);
        var seconds = Math.Max(0.001, Math.Min(duration.TotalSeconds, (until - counters.MeasureFrom) / (double)Stopwatch.Frequency));
        m["measuredSeconds"] = Math.Round(seconds, 3);
        var sent = Interlocked.Read(ref counters.OffersSentMeasured);
        var offersIn = Interlocked.Read(ref counters.OffersReceivedMeasured);
        var answersIn = Interlocked.Read(ref counters.AnswersReceivedMeasured);
        m["offersSentTotal"] = Interlocked.Read(ref counters.OffersSent);
        m["offersSent"] = sent;
        m["offersReceived"] = offersIn;
        m["answersReceived"] = answersIn;
        var iceSent = Interlocked.Read(ref counters.IceSentMeasured);
        var iceIn = Interlocked.Read(ref counters.IceReceivedMeasured);
        m["iceSent"] = iceSent;
        m["iceReceived"] = iceIn;
        // Not arrived when the run ended (--drain after the last offer): still in flight or lost. Only a sequence gap (a
        // later number arrived first; the server delivers in order) proves a loss.
        m["offersUndelivered"] = sent - offersIn;
        m["answersUndelivered"] = sent - answersIn;
        m["iceUndelivered"] = iceSent - iceIn;
        var gaps = pairs.Sum(p => p.Gaps);
        m["sequenceGaps"] = gaps;
        m["duplicates"] = pairs.Sum(p => p.Duplicates);
        m["offeredOffersPerSecond"] = rate;
        m["sentOffersPerSecond"] = Math.Round(sent / seconds, 1);
        m["relayedMessagesPerSecond"] = Math.Round((offersIn + answersIn + iceIn) / seconds, 1);
        m["errors"] = counters.Errors.Total;
        m["errorKinds"] = counters.Errors.ToJson();
        if (sent == 0)
        {
            result.Fail("no offer was sent in the measured window");
        }

        if (sent != offersIn || sent != answersIn || iceSent != iceIn || counters.Errors.Total > 0)
        {
            result.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{sent - offersIn} offers, {sent - answersIn} answers and {iceSent - iceIn} ICE candidates not delivered within --drain "
                + $"{drain.TotalSeconds:0.###} s of the last offer (in flight or lost; {gaps} sequence gaps prove loss; one-way p99 "
                + $"{counters.OneWay.Percentile(99) / 1000.0:0.#} ms), {counters.Errors.Total} errors"));
        }
    }

    private static string Status(string phase, RelayCounters c, LatencyHistogram connect) =>
        $"{phase}: connected {connect.Count}, offers sent {Interlocked.Read(ref c.OffersSent)}, "
        + $"offers in {Interlocked.Read(ref c.OffersReceived)}, answers in {Interlocked.Read(ref c.AnswersReceived)}, "
        + (Interlocked.Read(ref c.IceSent) > 0 ? $"ice {Interlocked.Read(ref c.IceReceived)}/{Interlocked.Read(ref c.IceSent)}, " : "")
        + $"errors {c.Errors.Total}, one-way {c.OneWay.Describe()}";
}
