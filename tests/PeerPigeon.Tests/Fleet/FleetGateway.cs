using System.Net;
using System.Text.Json;
using PeerPigeon.Tests.EndToEnd;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// One gateway of a <see cref="Fleet"/>: a fixed port that survives restarts (so peers and HTTP clients keep their
/// address), and the <see cref="GatewayProcess"/> currently running there.
/// </summary>
public sealed class FleetGateway : IGateway, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly IReadOnlyDictionary<string, string?> _settings;

    internal FleetGateway(string name, int port, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        Port = port;
        _settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TestPeer.DefaultTimeout };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The process running now, if any.</summary>
    public GatewayProcess? Process { get; private set; }

    public bool IsRunning => Process is { Process.HasExited: false };

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Starts a gateway process on this port and waits until it listens (it answers once it reached the cluster).</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Gateway {Name} is already running (pid {Process!.Process.Id}).");
        }

        if (Process is { } previous)
        {
            await previous.DisposeAsync();
        }

        Process = null;
        Process = await GatewayProcess.StartAsync(_settings, StartTimeout, $"gateway {Name}");
        Assert.Equal(BaseAddress.Authority, Process.BaseAddress.Authority);
    }

    /// <summary>Kills the gateway with SIGKILL: no close frames, no detach, no goodbye to the cluster.</summary>
    public Task KillAsync() => Process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Stops the gateway with SIGTERM (its graceful shutdown), waits for it to exit and returns its exit code.</summary>
    public Task<int> StopAsync() =>
        Process?.StopAsync() ?? throw new InvalidOperationException($"Gateway {Name} was never started.");

    /// <summary>GETs <c>/health</c>: the status code and the JSON body; null when the gateway did not answer.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)?> HealthAsync() => FleetHttp.TryGetJsonAsync(Http, "/health");

    /// <summary>The hub ids <c>/hubs</c> lists now; null when it did not answer 200.</summary>
    public async Task<IReadOnlyList<string>?> HubIdsAsync() =>
        await FleetHttp.TryGetJsonAsync(Http, "/hubs") is (HttpStatusCode.OK, var body)
            ? [.. body.GetProperty("hubs").EnumerateArray().Select(hub => hub.GetProperty("peerId").GetString()!)]
            : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Process is { } process)
        {
            await process.DisposeAsync();
        }
    }

    public override string ToString() => $"gateway {Name} (port {Port}, {(IsRunning ? $"pid {Process!.Process.Id}" : "not running")})";
}
