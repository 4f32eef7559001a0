using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Messages;

public sealed class MessageObserverTests(ObserverServer server) : MessageTests(server), IClassFixture<ObserverServer>;
