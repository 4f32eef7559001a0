using PeerPigeon.Push;
using Xunit.Abstractions;

namespace PeerPigeon.Tests.Fleet;

[Collection(OneFleetAtATime.Name)]
public sealed class FleetFailureStreamTests(ITestOutputHelper output) : FleetFailureTests(PushTransport.Stream, output);
