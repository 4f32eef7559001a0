using PeerPigeon.Push;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// One in-process server (gateway with its embedded silo) per configuration, shared by the tests of a class through
/// <see cref="IClassFixture{TFixture}"/>. Tests sharing it use fresh peer ids and network names, so they do not see
/// each other. Derived fixtures only choose the push transport and the settings.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    protected ServerFixture(PushTransport transport, params (string Key, string Value)[] settings)
    {
        Transport = transport;
        Settings = BaseSettings(transport);
        foreach (var (key, value) in settings)
        {
            Settings[key] = value;
        }
    }

    /// <summary>The push transport the gateway and its embedded silo use.</summary>
    public PushTransport Transport { get; }

    /// <summary>The configuration the server is started with.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>The running server.</summary>
    public GatewayServer Server => _server ?? throw new InvalidOperationException("The server fixture has not started.");

    /// <summary>
    /// The settings every test server has: loopback on a free port, the push transport, and quiet logs (warnings and
    /// errors still show).
    /// </summary>
    public static Dictionary<string, string?> BaseSettings(PushTransport transport) => new()
    {
        ["HOST"] = "127.0.0.1",
        ["PORT"] = "0",
        ["PUSH_TRANSPORT"] = TransportName(transport),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The <c>PUSH_TRANSPORT</c> value for <paramref name="transport"/>.</summary>
    public static string TransportName(PushTransport transport) => transport switch
    {
        PushTransport.Observer => "observer",
        PushTransport.Stream => "stream",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "Unknown push transport."),
    };

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
