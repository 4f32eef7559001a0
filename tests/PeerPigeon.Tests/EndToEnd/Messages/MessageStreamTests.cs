using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Messages;

public sealed class MessageStreamTests(StreamServer server) : MessageTests(server), IClassFixture<StreamServer>;
