using System.Net.WebSockets;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>One frame a <see cref="TestPeer"/> received, kept as the raw text it arrived as.</summary>
public sealed class ReceivedFrame
{
    private const int DescriptionLength = 400;

    internal ReceivedFrame(int index, WebSocketMessageType messageType, string raw)
    {
        Index = index;
        ReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        MessageType = messageType;
        Raw = raw;
        try
        {
            Json = JsonDocument.Parse(raw).RootElement;
        }
        catch (JsonException)
        {
            Json = null;
        }
    }

    /// <summary>The arrival position, from 0.</summary>
    public int Index { get; }

    /// <summary>When the frame arrived, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (for measuring delivery gaps).</summary>
    public long ReceivedTimestamp { get; }

    public WebSocketMessageType MessageType { get; }

    /// <summary>The frame's text exactly as received.</summary>
    public string Raw { get; }

    /// <summary>The parsed frame, or null when it is not JSON.</summary>
    public JsonElement? Json { get; }

    /// <summary>Whether an expectation already claimed this frame.</summary>
    public bool Consumed { get; internal set; }

    /// <summary>The parsed frame; fails the test when it is not JSON.</summary>
    public JsonElement Message => Json ?? throw new InvalidOperationException($"Frame #{Index} is not JSON: {Describe()}");

    /// <summary>A short form for failure messages.</summary>
    public string Describe()
    {
        var text = Raw.Length <= DescriptionLength ? Raw : $"{Raw[..DescriptionLength]}… ({Raw.Length} chars)";
        var kind = MessageType == WebSocketMessageType.Text ? string.Empty : $" [{MessageType}]";
        return $"#{Index}{(Consumed ? " (already expected)" : string.Empty)}{kind} {text}";
    }
}
