using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ConnectionObserverTests(ObserverServer server) : ConnectionTests(server), IClassFixture<ObserverServer>;
