using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// One started gateway built by <see cref="PeerPigeonServer.Build"/> (WebSockets and HTTP on one port), bound to a free
/// loopback port.
/// </summary>
public sealed class GatewayServer : IGateway, IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private bool _stopped;

    private GatewayServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TestPeer.DefaultTimeout };
    }

    /// <summary>The HTTP address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for the HTTP endpoints of this gateway.</summary>
    public HttpClient Http { get; }

    /// <summary>The gateway's services (and its embedded silo's: one container), e.g. for its meter factory.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts a gateway with <paramref name="settings"/> (configuration keys as the environment variables).</summary>
    public static async Task<GatewayServer> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = PeerPigeonServer.Build([], configuration => configuration.AddInMemoryCollection(settings));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new GatewayServer(app, new Uri(app.Urls.Single()));
    }

    /// <summary>The WebSocket address for <paramref name="pathAndQuery"/> (which starts with <c>/</c>).</summary>
    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Stops the gateway (its shutdown drain closes the open sockets).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
