using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>A short mailbox, <c>MESSAGE_TTL_MS=1500</c>, stream push transport.</summary>
public sealed class MailboxStreamServer() : ServerFixture(PushTransport.Stream, ("MESSAGE_TTL_MS", "1500"));
