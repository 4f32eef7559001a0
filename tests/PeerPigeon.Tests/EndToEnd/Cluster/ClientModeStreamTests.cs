namespace PeerPigeon.Tests.EndToEnd.Cluster;

public sealed class ClientModeStreamTests(StreamCluster cluster) : ClientModeTests(cluster), IClassFixture<StreamCluster>;
