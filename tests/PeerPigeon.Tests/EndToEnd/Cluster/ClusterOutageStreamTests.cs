namespace PeerPigeon.Tests.EndToEnd.Cluster;

public sealed class ClusterOutageStreamTests() : ClusterOutageTests(() => new StreamCluster());
