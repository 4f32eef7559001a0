namespace PeerPigeon.Push;

/// <summary>Names shared by the silos and gateways for the stream push transport.</summary>
public static class GatewayStreams
{
    /// <summary>The stream provider that carries <see cref="GatewayPush"/> messages.</summary>
    public const string ProviderName = "peerpigeon-push";

    /// <summary>The stream namespace; the stream key is the gateway id.</summary>
    public const string Namespace = "peerpigeon-gateway";

    /// <summary>The PubSub storage Orleans streams need on the silos.</summary>
    public const string PubSubStoreName = "PubSubStore";
}
