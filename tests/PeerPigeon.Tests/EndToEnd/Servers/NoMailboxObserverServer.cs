using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>No mailbox, <c>MESSAGE_TTL_MS=0</c>, observer push transport.</summary>
public sealed class NoMailboxObserverServer() : ServerFixture(PushTransport.Observer, ("MESSAGE_TTL_MS", "0"));
