using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PeerPigeon.Tests.EndToEnd;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// One silo of a <see cref="Fleet"/>: a name and fixed ports that survive restarts, and the process currently running
/// there (the built <c>PeerPigeon.Silo.dll</c>, configured by environment variables).
/// </summary>
public sealed class FleetSilo : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, string?> _settings;

    internal FleetSilo(string name, int httpPort, IReadOnlyDictionary<string, string?> settings, string serviceId)
    {
        Name = name;
        HttpPort = httpPort;
        _settings = settings;
        HubId = HubIdOf(serviceId, name);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TestPeer.DefaultTimeout };
    }

    /// <summary><c>SILO_NAME</c>.</summary>
    public string Name { get; }

    /// <summary>The hub peer id the silo must have (PROTOCOL.md §5), computed here from the service id and the name.</summary>
    public string HubId { get; }

    /// <summary><c>SILO_HTTP_PORT</c>.</summary>
    public int HttpPort { get; }

    /// <summary>A client for the silo's HTTP port (<c>/health</c>, <c>/metrics</c>, <c>/dashboard</c>).</summary>
    public HttpClient Http { get; }

    /// <summary>The process running now, if any.</summary>
    public ChildProcess? Process { get; private set; }

    public bool IsRunning => Process is { HasExited: false };

    /// <summary>The first 20 bytes of SHA-256("&lt;serviceId&gt;/&lt;siloName&gt;") as lowercase hex.</summary>
    public static string HubIdOf(string serviceId, string siloName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{serviceId}/{siloName}"))[..20]);

    /// <summary>
    /// Starts a process with this silo's settings (its name and ports) without waiting for it to join the cluster
    /// (<see cref="Fleet.WaitUntilReadyAsync"/> does).
    /// </summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Silo {Name} is already running (pid {Process!.Id}).");
        }

        if (Process is { } previous)
        {
            await previous.DisposeAsync();
        }

        var assembly = SiloAssembly();
        Process = ChildProcess.Start($"silo {Name}", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [assembly], _settings,
            Path.GetDirectoryName(assembly));
    }

    /// <summary>Kills the silo with SIGKILL: no shutdown, no leaving the cluster.</summary>
    public Task KillAsync() => Process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Stops the silo with SIGTERM (a graceful shutdown: it leaves the cluster), waits for it to exit and returns its exit code.</summary>
    public Task<int> StopAsync() =>
        Process?.StopAsync(StopTimeout) ?? throw new InvalidOperationException($"Silo {Name} was never started.");

    /// <summary>GETs <c>/health</c>: the status code and the JSON body; null when the silo did not answer.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)?> HealthAsync() => FleetHttp.TryGetJsonAsync(Http, "/health");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Process is { } process)
        {
            await process.DisposeAsync();
        }
    }

    public override string ToString() => $"silo {Name} (http {HttpPort}, hub {HubId}, {(IsRunning ? $"pid {Process!.Id}" : "not running")})";

    private static string SiloAssembly()
    {
        var path = typeof(FleetSilo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "PeerPigeon.Silo.Assembly").Value!;
        if (!File.Exists(path))
        {
            Assert.Fail($"The silo is not built at {path}: build the solution (dotnet build PeerPigeon.Orleans.sln) in the same configuration as the tests.");
        }

        return Path.GetFullPath(path);
    }
}
