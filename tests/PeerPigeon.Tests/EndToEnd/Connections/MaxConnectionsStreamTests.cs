using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class MaxConnectionsStreamTests(CappedStreamServer server) : MaxConnectionsTests(server), IClassFixture<CappedStreamServer>;
