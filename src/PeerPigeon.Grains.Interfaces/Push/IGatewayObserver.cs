namespace PeerPigeon.Push;

/// <summary>The gateway side of the observer push transport: one observer per gateway process.</summary>
[Alias("PeerPigeon.Push.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>Delivers <paramref name="push"/> to the gateway's local sockets.</summary>
    [Alias("Push")]
    Task PushAsync(GatewayPush push);
}
