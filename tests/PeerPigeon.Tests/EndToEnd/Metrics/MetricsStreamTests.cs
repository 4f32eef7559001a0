using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Metrics;

public sealed class MetricsStreamTests(MetricsStreamServer server) : MetricsTests(server), IClassFixture<MetricsStreamServer>;
