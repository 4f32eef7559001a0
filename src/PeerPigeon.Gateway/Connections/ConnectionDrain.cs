namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// On shutdown, before the web server and Orleans stop: closes every socket with 1001 <c>Server shutting down</c>
/// (clients reconnect elsewhere) and waits, bounded, until each one has detached, so their networks are told.
/// </summary>
internal sealed partial class ConnectionDrain(
    ConnectionRegistry registry,
    IHostApplicationLifetime lifetime,
    ILogger<ConnectionDrain> logger) : IHostedService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires before any hosted service stops; the web server waits for open sockets.
        lifetime.ApplicationStopping.Register(() => DrainAsync().GetAwaiter().GetResult());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainAsync()
    {
        var open = registry.OpenCount;
        try
        {
            await registry.CloseAllAsync().WaitAsync(DrainTimeout);
            LogDrained(logger, open);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(logger, registry.OpenCount);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} sockets for shutdown")]
    private static partial void LogDrained(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "{Count} sockets were still open when the shutdown drain timed out")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
