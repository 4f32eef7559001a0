using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.KeepAlive;

public sealed class KeepAliveStreamTests(KeepAliveStreamServer server) : KeepAliveTests(server), IClassFixture<KeepAliveStreamServer>;
