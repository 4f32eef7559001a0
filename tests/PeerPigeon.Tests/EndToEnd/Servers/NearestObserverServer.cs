using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>MAX_DISCOVERY_PEERS=2</c>, observer push transport.</summary>
public sealed class NearestObserverServer() : ServerFixture(PushTransport.Observer, ("MAX_DISCOVERY_PEERS", "2"));
