using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.SendQueue;

public sealed class SendQueueObserverTests(SmallQueueObserverServer server) : SendQueueTests(server), IClassFixture<SmallQueueObserverServer>;
