using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// Closes sockets that have sent nothing, not even a pong to the server's pings, for <c>PEER_TIMEOUT_MS</c>. The
/// socket is aborted (the peer is not listening for a close frame) and departs with reason <c>timeout</c>.
/// </summary>
internal sealed partial class IdleSweeper(
    ConnectionRegistry registry,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<IdleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromMilliseconds(options.Value.PeerTimeoutMs);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.PeerTimeoutMs / 4, 50, 5_000));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var connection in registry.Open)
                {
                    if (connection.SinceLastReceived > timeout)
                    {
                        LogTimedOut(logger, connection.PeerId, (long)connection.SinceLastReceived.TotalMilliseconds);
                        connection.Abort(CloseReasons.Timeout);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Peer {PeerId} sent nothing for {IdleMs} ms; closing it")]
    private static partial void LogTimedOut(ILogger logger, PeerId peerId, long idleMs);
}
