using System.Globalization;
using System.Text.RegularExpressions;
using PeerPigeon.Tests.EndToEnd;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, without persistence: the cluster membership store of one
/// fleet. The fleet tests need the real thing; when it is not installed they fail and say how to install it.
/// </summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    private const string Executable = "redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private RedisServer(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public int Port { get; }

    public ChildProcess Process { get; }

    /// <summary>The <c>REDIS_CONNECTION_STRING</c> of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RedisServer> StartAsync()
    {
        var path = FindExecutable() ?? throw new InvalidOperationException(
            $"The fleet tests need a real Redis, but '{Executable}' is not on PATH ({Environment.GetEnvironmentVariable("PATH")}). "
            + "Install it: 'sudo apt-get install -y redis-server' (Debian, Ubuntu) or 'brew install redis' (macOS).");
        var port = FreePorts.Next();
        var process = ChildProcess.Start($"redis-server :{port}", path,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"]);
        try
        {
            await process.WaitForLineAsync(ReadyLine(), "'Ready to accept connections'", StartTimeout);
            return new RedisServer(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, Executable))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex("Ready to accept connections")]
    private static partial Regex ReadyLine();
}
