using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>Fast liveness checks, <c>KEEPALIVE_INTERVAL_MS=200</c> and <c>PEER_TIMEOUT_MS=3000</c>, observer push transport.</summary>
public sealed class KeepAliveObserverServer() : ServerFixture(PushTransport.Observer, ("KEEPALIVE_INTERVAL_MS", "200"), ("PEER_TIMEOUT_MS", "3000"));
