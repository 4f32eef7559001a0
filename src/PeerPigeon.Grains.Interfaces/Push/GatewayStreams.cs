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

    /// <summary>
    /// How long a subscription kept in Redis lives after its last write: the subscription of a gateway that died (or
    /// stopped, leaving the silos' queue readers registered) is gone from Redis within this time.
    /// </summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromHours(1);

    /// <summary>How often a live gateway re-registers its subscription, renewing its <see cref="SubscriptionLifetime"/>.</summary>
    public static readonly TimeSpan SubscriptionRefreshPeriod = TimeSpan.FromMinutes(10);
}
