using PeerPigeon.Push;

namespace PeerPigeon.Tests.Fleet;

/// <summary>A shared fleet with the observer push transport.</summary>
public sealed class ObserverFleet() : FleetFixture(PushTransport.Observer);
