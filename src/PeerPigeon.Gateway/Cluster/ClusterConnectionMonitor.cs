namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// Follows the Orleans client's connections to the cluster: whenever the set of silos it is connected to changes
/// (a silo died or joined, or the client regained the cluster) the gateway resumes its push endpoint and re-asserts
/// every socket (<see cref="ClusterChanges"/>).
/// </summary>
internal sealed partial class ClusterConnectionMonitor(ClusterChanges changes, ILogger<ClusterConnectionMonitor> logger)
    : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => LogLost(logger);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        LogCountChanged(logger, previousNumberOfGateways, currentNumberOfGateways, connectionRecovered);
        changes.Signal();
    }

    [LoggerMessage(1, LogLevel.Warning, "Lost the connection to the cluster; retrying")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Connected silos changed from {Previous} to {Current} (recovered: {Recovered}); re-asserting sockets")]
    private static partial void LogCountChanged(ILogger logger, int previous, int current, bool recovered);
}
