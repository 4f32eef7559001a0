using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ConnectionStreamTests(StreamServer server) : ConnectionTests(server), IClassFixture<StreamServer>;
