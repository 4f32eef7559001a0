using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

[Collection(OneFleetAtATime.Name)]
public sealed class FleetStreamTests(StreamFleet fleet, ITestOutputHelper output) : FleetTests(fleet, output), IClassFixture<StreamFleet>;
