using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

[Collection(OneFleetAtATime.Name)]
public sealed class FleetObserverTests(ObserverFleet fleet, ITestOutputHelper output) : FleetTests(fleet, output), IClassFixture<ObserverFleet>;
