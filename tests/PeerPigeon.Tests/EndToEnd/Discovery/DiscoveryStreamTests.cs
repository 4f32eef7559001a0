using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Discovery;

public sealed class DiscoveryStreamTests(StreamServer server) : DiscoveryTests(server), IClassFixture<StreamServer>;
