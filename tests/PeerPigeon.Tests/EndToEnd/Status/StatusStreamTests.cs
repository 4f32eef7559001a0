using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Status;

public sealed class StatusStreamTests(StreamServer server) : StatusTests(server), IClassFixture<StreamServer>;
