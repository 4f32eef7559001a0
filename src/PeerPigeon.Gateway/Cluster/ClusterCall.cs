using System.Diagnostics;

namespace PeerPigeon.Gateway.Cluster;

/// <summary>
/// Runs a gateway's grain call and, when the silo it went to died under it, retries it with a short back-off until
/// the cluster has re-created the grain on a live silo (about three seconds: membership declares the silo dead and
/// the client stops routing to it). Failures that mean "that silo is gone" are: no answer within the response timeout,
/// the silo refused or could not be reached, or placement could not complete. Other failures are not retried. A call
/// the dead silo did execute before dying is executed twice: signaling tolerates a duplicate far better than a loss.
/// Calls of one socket are awaited in order, so a retry never reorders that socket's messages.
/// </summary>
internal static class ClusterCall
{
    /// <summary>How long a call keeps being retried after its first failure.</summary>
    internal static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(1);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var backOff = FirstBackOff;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (IsLostWithSilo(exception) && Stopwatch.GetElapsedTime(started) < RetryBudget)
            {
                await Task.Delay(backOff);
                backOff = backOff * 2 < MaxBackOff ? backOff * 2 : MaxBackOff;
            }
        }
    }

    public static Task RetryAsync(Func<Task> call) => RetryAsync(async () =>
    {
        await call();
        return true;
    });

    private static bool IsLostWithSilo(Exception exception) =>
        exception is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
            // "Message expired before placement could complete": the grain's directory entry was on the dead silo.
            or OperationCanceledException;
}
