using System.Diagnostics;
using PeerPigeon.Bench.Protocol;
using PeerPigeon.Bench.Reporting;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>Opening and closing many sockets with bounded concurrency.</summary>
internal static class Sockets
{
    /// <summary>How long a teardown waits for the server to close the sockets.</summary>
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Opens <paramref name="count"/> PeerPigeon sockets, at most <paramref name="concurrency"/> at once; a failed one
    /// is tallied and left null. Connect latency is from the start of the attempt to the <c>connected</c> frame.
    /// </summary>
    public static Task<BenchClient?[]> ConnectManyAsync(
        int count,
        Func<int, (Uri Gateway, string PeerId, Func<ReceivedFrame, ValueTask> Handler)> describe,
        int concurrency,
        LatencyHistogram connectLatency,
        ErrorTally errors,
        CancellationToken cancellationToken) =>
        ConnectManyAsync(count, describe, PeerPigeonProtocol.Instance, concurrency, connectLatency, errors, cancellationToken);

    /// <summary>As above, speaking <paramref name="protocol"/>; latency is to the protocol's first frame.</summary>
    public static async Task<BenchClient?[]> ConnectManyAsync(
        int count,
        Func<int, (Uri Gateway, string PeerId, Func<ReceivedFrame, ValueTask> Handler)> describe,
        IWireProtocol protocol,
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
                clients[i] = await BenchClient.ConnectAsync(gateway, peerId, protocol, handler, ct);
                connectLatency.RecordElapsed(started, Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add("connect: " + (e.InnerException ?? e).Message);
            }
        });
        return clients;
    }

    /// <summary>
    /// Closes every open socket and disposes it: first every close frame is sent, then the servers' are awaited, at most
    /// <see cref="CloseBound"/> in all (sockets still open then are aborted). Not one socket at a time: a server that
    /// tells every remaining socket about each departure (upstream peerpigeon 1.1.3 does, whatever the network) does
    /// O(n²) sends during a gradual teardown; 2000 sockets closed 64 at a time took 40 s.
    /// </summary>
    public static async Task CloseAllAsync(IEnumerable<BenchClient?> clients, int concurrency)
    {
        var open = clients.OfType<BenchClient>().ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        using (var bound = new CancellationTokenSource(CloseBound))
        {
            await Parallel.ForEachAsync(open, options, async (client, _) => await client.SendCloseAsync(bound.Token));
            await Task.WhenAll(open.Select(client => client.AwaitClosedAsync(bound.Token)));
        }

        await Parallel.ForEachAsync(open, options, async (client, _) => await client.DisposeAsync());
    }
}
