using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>A short mailbox, <c>MESSAGE_TTL_MS=1500</c>, observer push transport.</summary>
public sealed class MailboxObserverServer() : ServerFixture(PushTransport.Observer, ("MESSAGE_TTL_MS", "1500"));
