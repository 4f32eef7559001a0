namespace PeerPigeon.Networks;

/// <summary>Well-known network names.</summary>
public static class NetworkNames
{
    /// <summary>The network of a peer that never announced, and of an announce without <c>networkName</c>.</summary>
    public const string Global = "global";

    /// <summary>The default hub namespace (<c>HUB_MESH_NAMESPACE</c>).</summary>
    public const string DefaultHubNamespace = "pigeonhub-mesh";
}
