using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>The default settings, observer push transport.</summary>
public sealed class ObserverServer() : ServerFixture(PushTransport.Observer);
