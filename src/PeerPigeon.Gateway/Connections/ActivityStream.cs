namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// The upgraded connection's stream, recording when bytes last arrived from the peer: any frame, pongs included.
/// This is what liveness is judged on (<c>PEER_TIMEOUT_MS</c>: "sent nothing, not even a pong").
/// </summary>
internal sealed class ActivityStream(Stream inner, TimeProvider time) : Stream
{
    private long _lastRead = time.GetTimestamp();

    /// <summary>Time since bytes last arrived.</summary>
    public TimeSpan SinceLastRead => time.GetElapsedTime(Interlocked.Read(ref _lastRead));

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Record(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Record(inner.Read(buffer, offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Record(int read)
    {
        if (read > 0)
        {
            Interlocked.Exchange(ref _lastRead, time.GetTimestamp());
        }

        return read;
    }
}
