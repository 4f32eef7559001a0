namespace PeerPigeon.Gateway.Push;

/// <summary>This gateway process's id: unique per start, so a restarted gateway never inherits a dead one's routes.</summary>
internal sealed class GatewayIdentity
{
    public string Id { get; } = $"gw-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
