namespace PeerPigeon.Cluster;

/// <summary>A hub as listed by <c>/hubs</c>. Times are epoch milliseconds.</summary>
/// <param name="Data">The hub's announce data as a raw UTF-8 JSON object.</param>
[GenerateSerializer, Immutable, Alias("PeerPigeon.Cluster.HubRecord")]
public sealed record HubRecord(
    [property: Id(0)] PeerId PeerId,
    [property: Id(1)] long RegisteredAt,
    [property: Id(2)] long LastActivity,
    [property: Id(3)] string NetworkName,
    [property: Id(4)] byte[] Data,
    [property: Id(5)] long ConnectedAt);
