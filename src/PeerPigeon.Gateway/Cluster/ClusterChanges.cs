using System.Threading.Channels;

namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// Signals that the cluster changed in a way that may have lost grain state (a silo died or joined, or this gateway
/// regained the cluster). <see cref="GatewayLease"/> answers by resuming the push endpoint and re-asserting every
/// socket. Signals that arrive while one is pending fold into it.
/// </summary>
internal sealed class ClusterChanges
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Asks for a re-assertion as soon as possible.</summary>
    public void Signal() => _signals.Writer.TryWrite(true);

    /// <summary>Completes when a signal is pending (and takes it) or <paramref name="timeout"/> passes; true for a signal.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_signals.Reader.TryRead(out _))
        {
            return true;
        }

        using var elapsed = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            await _signals.Reader.WaitToReadAsync(either.Token);
            return _signals.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
