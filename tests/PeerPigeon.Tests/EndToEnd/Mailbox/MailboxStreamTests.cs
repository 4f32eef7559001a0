using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Mailbox;

public sealed class MailboxStreamTests(MailboxStreamServer mailbox, NoMailboxStreamServer noMailbox)
    : MailboxTests(mailbox, noMailbox), IClassFixture<MailboxStreamServer>, IClassFixture<NoMailboxStreamServer>;
