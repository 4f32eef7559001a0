using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Discovery;

public sealed class DiscoveryLimitStreamTests(NearestStreamServer server) : DiscoveryLimitTests(server), IClassFixture<NearestStreamServer>;
