using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.BadInput;

public sealed class BadInputStreamTests(StreamServer server) : BadInputTests(server), IClassFixture<StreamServer>;
