using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.KeepAlive;

public sealed class KeepAliveObserverTests(KeepAliveObserverServer server) : KeepAliveTests(server), IClassFixture<KeepAliveObserverServer>;
