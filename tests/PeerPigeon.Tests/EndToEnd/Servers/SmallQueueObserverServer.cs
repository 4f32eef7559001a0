using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>The smallest send queue, <c>SEND_QUEUE_BYTES=65536</c> (with <c>MAX_MESSAGE_SIZE=32768</c> so one frame fits), observer push transport.</summary>
public sealed class SmallQueueObserverServer() : ServerFixture(PushTransport.Observer, ("SEND_QUEUE_BYTES", "65536"), ("MAX_MESSAGE_SIZE", "32768"));
