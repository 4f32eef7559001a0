using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>No mailbox, <c>MESSAGE_TTL_MS=0</c>, stream push transport.</summary>
public sealed class NoMailboxStreamServer() : ServerFixture(PushTransport.Stream, ("MESSAGE_TTL_MS", "0"));
