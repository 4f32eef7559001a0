using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Relay;

public sealed class RelayStreamTests(StreamServer server) : RelayTests(server), IClassFixture<StreamServer>;
