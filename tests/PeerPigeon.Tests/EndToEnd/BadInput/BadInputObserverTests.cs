using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.BadInput;

public sealed class BadInputObserverTests(ObserverServer server) : BadInputTests(server), IClassFixture<ObserverServer>;
