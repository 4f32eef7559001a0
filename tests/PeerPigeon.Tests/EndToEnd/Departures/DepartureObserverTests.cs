using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Departures;

public sealed class DepartureObserverTests(ObserverServer server) : DepartureTests(server), IClassFixture<ObserverServer>;
