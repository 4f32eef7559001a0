using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Departures;

public sealed class DepartureStreamTests(StreamServer server) : DepartureTests(server), IClassFixture<StreamServer>;
