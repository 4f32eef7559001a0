using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.SendQueue;

public sealed class SendQueueStreamTests(SmallQueueStreamServer server) : SendQueueTests(server), IClassFixture<SmallQueueStreamServer>;
