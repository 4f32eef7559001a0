using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>DUPLICATE_PEER_POLICY=replace</c>, observer push transport.</summary>
public sealed class ReplaceObserverServer() : ServerFixture(PushTransport.Observer, ("DUPLICATE_PEER_POLICY", "replace"));
