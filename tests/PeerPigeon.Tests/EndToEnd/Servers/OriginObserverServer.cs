using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>CORS_ORIGIN</c> set to a list of two origins, observer push transport.</summary>
public sealed class OriginObserverServer() : ServerFixture(PushTransport.Observer, ("CORS_ORIGIN", "http://app.example,http://localhost:8080"));
