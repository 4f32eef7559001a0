using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>AUTH_TOKEN</c> set, observer push transport.</summary>
public sealed class TokenObserverServer() : ServerFixture(PushTransport.Observer, ("AUTH_TOKEN", "e2e-secret-token"));
