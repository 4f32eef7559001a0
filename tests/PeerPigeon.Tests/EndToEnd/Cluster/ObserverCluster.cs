using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Cluster;

/// <summary>A silo and two client-mode gateways, observer push transport.</summary>
public sealed class ObserverCluster() : ClusterFixture(PushTransport.Observer);
