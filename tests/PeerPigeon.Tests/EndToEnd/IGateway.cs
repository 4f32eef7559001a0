namespace PeerPigeon.Tests.EndToEnd;

/// <summary>A running gateway that tests connect to: in this process or a child process.</summary>
public interface IGateway
{
    /// <summary>The HTTP address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>A client for the HTTP endpoints of this gateway.</summary>
    HttpClient Http { get; }

    /// <summary>The WebSocket address for <paramref name="pathAndQuery"/> (which starts with <c>/</c>).</summary>
    Uri WebSocketUri(string pathAndQuery);
}
