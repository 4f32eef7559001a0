using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Relay;

public sealed class RelayObserverTests(ObserverServer server) : RelayTests(server), IClassFixture<ObserverServer>;
