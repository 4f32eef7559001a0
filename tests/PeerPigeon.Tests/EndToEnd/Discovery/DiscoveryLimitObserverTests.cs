using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Discovery;

public sealed class DiscoveryLimitObserverTests(NearestObserverServer server) : DiscoveryLimitTests(server), IClassFixture<NearestObserverServer>;
