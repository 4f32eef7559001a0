using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Status;

public sealed class StatusObserverTests(ObserverServer server) : StatusTests(server), IClassFixture<ObserverServer>;
