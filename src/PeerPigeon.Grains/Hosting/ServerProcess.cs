using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PeerPigeon.Grains.Hosting;

/// <summary>What the gateway and the silo processes share: <c>--help</c>, exit code 2 on bad settings, the listener.</summary>
public static class ServerProcess
{
    /// <summary>
    /// Prints <paramref name="help"/> for <c>--help</c>; otherwise builds and starts the app, calls
    /// <paramref name="started"/>, and runs until it is stopped. Returns 0, or 2 when the configuration is invalid
    /// (the message names the setting).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<string> help, Func<string[], WebApplication> build, Action<WebApplication>? started = null)
    {
        if (SettingsCatalog.WantsHelp(args))
        {
            Console.Out.Write(help());
            return 0;
        }

        WebApplication app;
        try
        {
            app = build(args);
            await app.StartAsync();
        }
        catch (OperationCanceledException)
        {
            // Asked to stop (SIGTERM) while still starting: a clean stop, not a crash.
            return 0;
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or FormatException)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {Describe(exception)}");
            await Console.Error.WriteLineAsync("Run with --help for the settings and their defaults.");
            return 2;
        }

        started?.Invoke(app);
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>Listens on <c>HOST</c>: <c>localhost</c>, <c>0.0.0.0</c> (also <c>*</c>, <c>+</c>) or an IP address.</summary>
    public static void Listen(KestrelServerOptions kestrel, string host, int port)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port);
        }
        else if (host is "0.0.0.0" or "*" or "+")
        {
            kestrel.ListenAnyIP(port);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, port);
        }
        else
        {
            throw new OptionsValidationException("HOST", typeof(string),
                [$"HOST='{host}' is not 'localhost', '0.0.0.0' or an IP address: use one of those."]);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        _ when exception.InnerException is { } inner => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };
}
