using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Metrics;

public sealed class MetricsObserverTests(MetricsObserverServer server) : MetricsTests(server), IClassFixture<MetricsObserverServer>;
