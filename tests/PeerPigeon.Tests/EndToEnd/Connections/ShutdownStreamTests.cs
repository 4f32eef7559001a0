using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Connections;

public sealed class ShutdownStreamTests() : ShutdownTests(PushTransport.Stream);
