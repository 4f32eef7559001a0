using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A WebSocket client written by hand over TCP, for clients no browser would be: one that never answers pings, one
/// that stops reading. It does the upgrade handshake, sends masked text frames and reads frames only when asked.
/// </summary>
public sealed class RawWebSocketClient : IDisposable
{
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and upgrades; <paramref name="receiveBufferSize"/> caps the TCP receive window (a slow reader).</summary>
    public static async Task<RawWebSocketClient> ConnectAsync(Uri server, string pathAndQuery, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        RawWebSocketClient? client = null;
        try
        {
            using var timeout = new CancellationTokenSource(TestPeer.DefaultTimeout);
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
            client = new RawWebSocketClient(tcp);
            await client.HandshakeAsync(server, pathAndQuery, timeout.Token);
            return client;
        }
        catch
        {
            client?.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one masked text frame.</summary>
    public async Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        using var timeout = new CancellationTokenSource(TestPeer.DefaultTimeout);
        await _stream.WriteAsync(Frame(0x1, payload), timeout.Token);
    }

    /// <summary>
    /// Reads frames (discarding them) until the server closes: returns the close frame's code and reason, or null
    /// code when the connection ended without one. Answers the close frame. Fails when nothing ends in time.
    /// </summary>
    public async Task<(int? Code, string? Reason, int TextFrames)> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestPeer.DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        var textFrames = 0;
        try
        {
            while (true)
            {
                var header = new byte[2];
                if (!await ReadExactlyOrEndAsync(header, cancel.Token))
                {
                    return (null, null, textFrames);
                }

                var opcode = header[0] & 0x0F;
                long length = header[1] & 0x7F;
                if (length == 126)
                {
                    var extended = new byte[2];
                    await _stream.ReadExactlyAsync(extended, cancel.Token);
                    length = BinaryPrimitives.ReadUInt16BigEndian(extended);
                }
                else if (length == 127)
                {
                    var extended = new byte[8];
                    await _stream.ReadExactlyAsync(extended, cancel.Token);
                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
                }

                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, cancel.Token);
                if (opcode == 0x1)
                {
                    textFrames++;
                }
                else if (opcode == 0x8)
                {
                    int? code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
                    var reason = payload.Length > 2 ? Encoding.UTF8.GetString(payload, 2, payload.Length - 2) : string.Empty;
                    await _stream.WriteAsync(Frame(0x8, payload.Length >= 2 ? payload[..2] : []), cancel.Token);
                    return (code, reason, textFrames);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Expected the server to close the raw client within {limit.TotalSeconds:0.#} s; it did not ({textFrames} text frames read).");
            throw;
        }
        catch (Exception exception) when (exception is IOException or SocketException or EndOfStreamException)
        {
            // The server aborted the connection (a reset): closed, without a close frame.
            return (null, null, textFrames);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task HandshakeAsync(Uri server, string pathAndQuery, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        // Byte by byte up to the blank line, so that no frame bytes are consumed with the headers.
        var response = new List<byte>();
        var one = new byte[1];
        while (response.Count < 4 || !(response[^4] == '\r' && response[^3] == '\n' && response[^2] == '\r' && response[^1] == '\n'))
        {
            await _stream.ReadExactlyAsync(one, cancellationToken);
            response.Add(one[0]);
        }

        var headers = Encoding.ASCII.GetString([.. response]);
        Assert.True(headers.StartsWith("HTTP/1.1 101", StringComparison.Ordinal), $"Expected 101 Switching Protocols, got: {headers}");
#pragma warning disable CA5350 // RFC 6455 defines Sec-WebSocket-Accept with SHA-1; it is not used for security here.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid)));
#pragma warning restore CA5350
        Assert.Contains($"Sec-WebSocket-Accept: {accept}", headers, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length;
    }

    /// <summary>A final client frame: masked, as RFC 6455 requires of clients.</summary>
    private static byte[] Frame(int opcode, byte[] payload)
    {
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        var maskOffset = 2 + lengthBytes;
        RandomNumberGenerator.Fill(frame.AsSpan(maskOffset, 4));
        for (var i = 0; i < payload.Length; i++)
        {
            frame[maskOffset + 4 + i] = (byte)(payload[i] ^ frame[maskOffset + (i % 4)]);
        }

        return frame;
    }
}
