using PeerPigeon.Gateway.Push;

namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// When the Orleans client regains the cluster, resumes the push stream subscription and re-asserts every socket
/// right away instead of waiting for the next lease interval.
/// </summary>
internal sealed partial class ClusterConnectionMonitor(IServiceProvider services, ILogger<ClusterConnectionMonitor> logger)
    : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => LogLost(logger);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered)
        {
            _ = RecoverAsync();
        }
    }

    private async Task RecoverAsync()
    {
        try
        {
            // Resolved lazily: the Orleans client itself depends on this observer.
            await services.GetRequiredService<PushEndpoint>().ResumeAsync();
            await services.GetRequiredService<GatewayLease>().RenewNowAsync();
            LogRecovered(logger);
        }
        catch (Exception exception)
        {
            LogRecoveryFailed(logger, exception);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Lost the connection to the cluster")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Reconnected to the cluster; push endpoint resumed and sockets re-asserted")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(3, LogLevel.Error, "Recovery after reconnecting to the cluster failed; the next lease interval retries")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);
}
