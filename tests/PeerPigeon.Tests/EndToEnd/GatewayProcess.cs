using System.Text.RegularExpressions;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A gateway in a child process (the built <c>PeerPigeon.Gateway.dll</c>, configured by environment variables), for
/// what cannot happen in-process: a gateway process that dies without any goodbye, or that stops on SIGTERM.
/// </summary>
public sealed partial class GatewayProcess : IGateway, IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private GatewayProcess(ChildProcess process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TestPeer.DefaultTimeout };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The process (its PID, its output).</summary>
    public ChildProcess Process { get; }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Starts the gateway with <paramref name="settings"/> as environment variables and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null, string name = "gateway")
    {
        var assembly = typeof(PeerPigeonServer).Assembly.Location;
        var process = ChildProcess.Start(name, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [assembly], settings,
            Path.GetDirectoryName(assembly));
        try
        {
            var listening = await process.WaitForLineAsync(ListeningLine(), "'listening on ws://…'", timeout ?? TimeSpan.FromSeconds(30));
            return new GatewayProcess(process, new Uri($"http://{listening.Groups["authority"].Value}/"));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no close frames, no detach, no goodbye to the cluster.</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <summary>Stops the process with SIGTERM (its graceful shutdown drains the sockets) and waits for it to exit.</summary>
    public Task<int> StopAsync() => Process.StopAsync(StopTimeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }

    [GeneratedRegex(@"listening on ws://(?<authority>[^/\s]+)")]
    private static partial Regex ListeningLine();
}
