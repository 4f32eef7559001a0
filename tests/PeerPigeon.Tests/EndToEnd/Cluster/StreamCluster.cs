using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Cluster;

/// <summary>A silo and two client-mode gateways, stream push transport.</summary>
public sealed class StreamCluster() : ClusterFixture(PushTransport.Stream);
