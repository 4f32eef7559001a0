using System.Diagnostics;
using System.Text.RegularExpressions;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A gateway in a child process (the built <c>PeerPigeon.Gateway.dll</c>, configured by environment variables), for
/// what cannot happen in-process: a gateway process that dies without any goodbye.
/// </summary>
public sealed partial class GatewayProcess : IGateway, IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TestPeer.DefaultTimeout };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Starts the gateway with <paramref name="settings"/> as environment variables and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        var assembly = typeof(PeerPigeonServer).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var (key, value) in settings)
        {
            // Configuration sections (Logging:LogLevel:Default) are spelled with "__" in environment variables.
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the gateway process.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => Observe(line.Data);
        process.ErrorDataReceived += (_, line) => Observe(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            return new GatewayProcess(process, address);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            Assert.Fail($"The gateway process did not report its address in time. Output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            throw;
        }

        void Observe(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"http://{match.Groups["authority"].Value}/"));
            }
        }
    }

    /// <summary>Kills the process at once: no close frames, no detach, no goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TestPeer.DefaultTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on ws://(?<authority>[^/\s]+)")]
    private static partial Regex ListeningLine();
}
