using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>MAX_CONNECTIONS=3</c>, stream push transport.</summary>
public sealed class CappedStreamServer() : ServerFixture(PushTransport.Stream, ("MAX_CONNECTIONS", "3"));
