namespace PeerPigeon.Tests.EndToEnd.Cluster;

public sealed class ClusterOutageObserverTests() : ClusterOutageTests(() => new ObserverCluster());
