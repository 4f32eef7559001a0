using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ReplacePolicyObserverTests(ReplaceObserverServer server) : ReplacePolicyTests(server), IClassFixture<ReplaceObserverServer>;
