using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary><c>MAX_DISCOVERY_PEERS=2</c>, stream push transport.</summary>
public sealed class NearestStreamServer() : ServerFixture(PushTransport.Stream, ("MAX_DISCOVERY_PEERS", "2"));
