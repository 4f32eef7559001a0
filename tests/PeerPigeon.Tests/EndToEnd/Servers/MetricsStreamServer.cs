using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd.Servers;

/// <summary>
/// Settings that let every instrument fire quickly: a short mailbox (<c>MESSAGE_TTL_MS=1500</c>,
/// <c>MAILBOX_CAPACITY=2</c>) and the smallest send queue (<c>SEND_QUEUE_BYTES=65536</c>, <c>MAX_MESSAGE_SIZE=32768</c>),
/// stream push transport.
/// </summary>
public sealed class MetricsStreamServer() : ServerFixture(PushTransport.Stream,
    ("MESSAGE_TTL_MS", "1500"), ("MAILBOX_CAPACITY", "2"), ("SEND_QUEUE_BYTES", "65536"), ("MAX_MESSAGE_SIZE", "32768"));
