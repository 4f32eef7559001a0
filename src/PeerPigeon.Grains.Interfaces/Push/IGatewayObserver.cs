namespace PeerPigeon.Push;

/// <summary>The gateway side of the observer push transport: one observer per gateway process.</summary>
[Alias("PeerPigeon.Push.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>
    /// Delivers <paramref name="push"/> to the gateway's local sockets. A push only enqueues frames, so it answers in
    /// well under a millisecond; the short timeout bounds how long a grain waits on a route through a silo that just
    /// died (the caller's retry then finds the gateway through a live silo).
    /// </summary>
    [Alias("Push"), ResponseTimeout("00:00:03")]
    Task PushAsync(GatewayPush push);
}
