using PeerPigeon.Push;

namespace PeerPigeon.Tests.Fleet;

/// <summary>A shared fleet with the stream push transport.</summary>
public sealed class StreamFleet() : FleetFixture(PushTransport.Stream);
