using Microsoft.Extensions.Configuration;
using PeerPigeon.Networks;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Cluster-wide signaling behaviour, read by the silos (environment variables or appsettings keys).</summary>
public sealed class SignalingOptions
{
    /// <summary><c>DUPLICATE_PEER_POLICY</c>: <c>reject</c> (default) or <c>replace</c>.</summary>
    [ConfigurationKeyName("DUPLICATE_PEER_POLICY")]
    public DuplicatePeerPolicy DuplicatePeerPolicy { get; set; } = DuplicatePeerPolicy.Reject;

    /// <summary><c>MESSAGE_TTL_MS</c>: how long signaling waits for a target that is not attached. Default 5000; 0 disables the mailbox.</summary>
    [ConfigurationKeyName("MESSAGE_TTL_MS")]
    public int MessageTtlMs { get; set; } = 5000;

    /// <summary><c>MAILBOX_CAPACITY</c>: the most messages one peer's mailbox holds. Default 256.</summary>
    [ConfigurationKeyName("MAILBOX_CAPACITY")]
    public int MailboxCapacity { get; set; } = 256;

    /// <summary><c>MAX_DISCOVERY_PEERS</c>: introduce an announcer only to the N XOR-closest members. Default 0 (everyone).</summary>
    [ConfigurationKeyName("MAX_DISCOVERY_PEERS")]
    public int MaxDiscoveryPeers { get; set; }

    /// <summary><c>HUB_MESH_NAMESPACE</c>: the network whose members are hubs. Default <c>pigeonhub-mesh</c>.</summary>
    [ConfigurationKeyName("HUB_MESH_NAMESPACE")]
    public string HubMeshNamespace { get; set; } = NetworkNames.DefaultHubNamespace;

    /// <summary><c>IS_HUB</c>: every silo registers as a hub. Default true.</summary>
    [ConfigurationKeyName("IS_HUB")]
    public bool IsHub { get; set; } = true;

    /// <summary>The mailbox time-to-live.</summary>
    public TimeSpan MessageTtl => TimeSpan.FromMilliseconds(MessageTtlMs);
}
