using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>The default settings, stream push transport.</summary>
public sealed class StreamServer() : ServerFixture(PushTransport.Stream);
