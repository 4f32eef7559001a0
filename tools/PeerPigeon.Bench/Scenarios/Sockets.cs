using System.Diagnostics;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>Opening and closing many sockets with bounded concurrency.</summary>
internal static class Sockets
{
    /// <summary>
    /// Opens <paramref name="count"/> sockets, at most <paramref name="concurrency"/> at once; a failed one is tallied
    /// and left null. Connect latency is from the start of the attempt to the <c>connected</c> frame.
    /// </summary>
    public static async Task<BenchClient?[]> ConnectManyAsync(
        int count,
        Func<int, (Uri Gateway, string PeerId, Func<ReceivedFrame, ValueTask> Handler)> describe,
        int concurrency,
        LatencyHistogram connectLatency,
        ErrorTally errors,
        CancellationToken cancellationToken)
    {
        var clients = new BenchClient?[count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, count, options, async (i, ct) =>
        {
            var (gateway, peerId, handler) = describe(i);
            var started = Stopwatch.GetTimestamp();
            try
            {
                clients[i] = await BenchClient.ConnectAsync(gateway, peerId, handler, ct);
                connectLatency.RecordElapsed(started, Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add("connect: " + (e.InnerException ?? e).Message);
            }
        });
        return clients;
    }

    /// <summary>Closes every open socket (a close frame, at most 2 s each) and disposes it.</summary>
    public static Task CloseAllAsync(IEnumerable<BenchClient?> clients, int concurrency) =>
        Parallel.ForEachAsync(
            clients.OfType<BenchClient>(),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (client, _) =>
            {
                await client.CloseAsync(TimeSpan.FromSeconds(2));
                await client.DisposeAsync();
            });
}
