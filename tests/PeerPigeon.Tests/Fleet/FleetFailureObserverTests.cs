using PeerPigeon.Push;
using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

[Collection(OneFleetAtATime.Name)]
public sealed class FleetFailureObserverTests(ITestOutputHelper output) : FleetFailureTests(PushTransport.Observer, output);
