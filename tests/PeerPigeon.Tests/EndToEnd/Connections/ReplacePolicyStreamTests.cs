using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ReplacePolicyStreamTests(ReplaceStreamServer server) : ReplacePolicyTests(server), IClassFixture<ReplaceStreamServer>;
