using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Goodbye;

public sealed class GoodbyeObserverTests(ObserverServer server) : GoodbyeTests(server), IClassFixture<ObserverServer>;
