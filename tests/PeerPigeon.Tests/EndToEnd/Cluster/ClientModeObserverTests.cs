namespace PeerPigeon.Tests.EndToEnd.Cluster;

public sealed class ClientModeObserverTests(ObserverCluster cluster) : ClientModeTests(cluster), IClassFixture<ObserverCluster>;
