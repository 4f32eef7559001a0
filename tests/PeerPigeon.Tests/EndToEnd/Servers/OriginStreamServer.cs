using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>CORS_ORIGIN</c> set to a list of two origins, stream push transport.</summary>
public sealed class OriginStreamServer() : ServerFixture(PushTransport.Stream, ("CORS_ORIGIN", "http://app.example,http://localhost:8080"));
