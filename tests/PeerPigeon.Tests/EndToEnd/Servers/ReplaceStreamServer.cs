using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>DUPLICATE_PEER_POLICY=replace</c>, stream push transport.</summary>
public sealed class ReplaceStreamServer() : ServerFixture(PushTransport.Stream, ("DUPLICATE_PEER_POLICY", "replace"));
