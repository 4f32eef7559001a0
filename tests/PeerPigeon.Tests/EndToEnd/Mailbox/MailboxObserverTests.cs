using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Mailbox;

public sealed class MailboxObserverTests(MailboxObserverServer mailbox, NoMailboxObserverServer noMailbox)
    : MailboxTests(mailbox, noMailbox), IClassFixture<MailboxObserverServer>, IClassFixture<NoMailboxObserverServer>;
