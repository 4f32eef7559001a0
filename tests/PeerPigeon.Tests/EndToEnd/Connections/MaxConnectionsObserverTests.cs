using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class MaxConnectionsObserverTests(CappedObserverServer server) : MaxConnectionsTests(server), IClassFixture<CappedObserverServer>;
