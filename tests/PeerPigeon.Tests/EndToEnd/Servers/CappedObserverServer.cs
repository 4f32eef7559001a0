using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>MAX_CONNECTIONS=3</c>, observer push transport.</summary>
public sealed class CappedObserverServer() : ServerFixture(PushTransport.Observer, ("MAX_CONNECTIONS", "3"));
