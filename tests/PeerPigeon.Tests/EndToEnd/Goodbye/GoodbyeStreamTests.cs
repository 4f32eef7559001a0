using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Goodbye;

public sealed class GoodbyeStreamTests(StreamServer server) : GoodbyeTests(server), IClassFixture<StreamServer>;
