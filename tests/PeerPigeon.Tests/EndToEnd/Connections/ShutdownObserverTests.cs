using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ShutdownObserverTests() : ShutdownTests(PushTransport.Observer);
