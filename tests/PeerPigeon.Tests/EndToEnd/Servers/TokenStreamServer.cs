using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>AUTH_TOKEN</c> set, stream push transport.</summary>
public sealed class TokenStreamServer() : ServerFixture(PushTransport.Stream, ("AUTH_TOKEN", "e2e-secret-token"));
