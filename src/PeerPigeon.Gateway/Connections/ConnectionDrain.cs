namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// On shutdown, before the web server and Orleans stop: closes every socket with 1001 <c>Server shutting down</c>
/// (clients reconnect elsewhere) and waits, bounded, until each one has detached, so their networks are told.
/// </summary>
/// <remarks>
/// The host calls <see cref="StoppingAsync"/> of every lifecycle service before it stops any hosted service, and awaits
/// it: the drain never blocks the thread that stops the host (a callback on <c>ApplicationStopping</c> would have to,
/// and deadlocks when that thread is the one its continuations are queued to).
/// </remarks>
internal sealed partial class ConnectionDrain(ConnectionRegistry registry, ILogger<ConnectionDrain> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var open = registry.OpenCount;
        try
        {
            await registry.CloseAllAsync().WaitAsync(DrainTimeout, cancellationToken);
            LogDrained(logger, open);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            LogDrainTimedOut(logger, registry.OpenCount);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} sockets for shutdown")]
    private static partial void LogDrained(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "{Count} sockets were still open when the shutdown drain timed out or was cut short")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
