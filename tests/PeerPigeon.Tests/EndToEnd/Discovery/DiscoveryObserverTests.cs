using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Discovery;

public sealed class DiscoveryObserverTests(ObserverServer server) : DiscoveryTests(server), IClassFixture<ObserverServer>;
