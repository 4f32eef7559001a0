using System.Net;
using System.Reflection;
using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Http;
using PeerPigeon.Grains.Hosting;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>Builds and runs the gateway: WebSockets and HTTP on one port, over an embedded silo or a cluster.</summary>
public static class PeerPigeonServer
{
    /// <summary>The options classes whose keys make up the configuration (shown by <c>--help</c>).</summary>
    internal static readonly Type[] OptionTypes = [typeof(GatewayOptions), typeof(AccessOptions), typeof(SignalingOptions), typeof(ClusteringOptions)];

    /// <summary>Builds the server. <paramref name="configure"/> lets tests add configuration sources.</summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);

        var gateway = builder.Configuration.Get<GatewayOptions>() ?? new GatewayOptions();
        var clustering = builder.Configuration.Get<ClusteringOptions>() ?? new ClusteringOptions();
        builder.Services.AddOptions<ClusteringOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusteringOptions>, GatewayOptionsValidator>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, gateway.Host, gateway.Port);
        });

        builder.AddPeerPigeonOrleans(clustering, gateway);
        builder.Services.AddPeerPigeonGateway(builder.Configuration);

        var app = builder.Build();
        app.MapPeerPigeon();
        return app;
    }

    /// <summary>Runs the server until it is stopped; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            Console.Out.Write(Help());
            return 0;
        }

        WebApplication app;
        try
        {
            app = Build(args);
            await app.StartAsync();
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or FormatException)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {Describe(exception)}");
            await Console.Error.WriteLineAsync("Run with --help for the settings and their defaults.");
            return 2;
        }

        foreach (var address in app.Urls)
        {
            Console.Out.WriteLine($"PeerPigeon signaling server listening on {address.Replace("http://", "ws://", StringComparison.Ordinal)} (HTTP on the same port)");
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>The <c>--help</c> text: every setting with its default, read from the options classes themselves.</summary>
    internal static string Help()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("PeerPigeon.Orleans gateway: a PeerPigeon-compatible WebRTC signaling server.");
        text.AppendLine();
        text.AppendLine("Usage: dotnet run --project src/PeerPigeon.Gateway [-- --KEY=value ...]");
        text.AppendLine("Settings come from environment variables, appsettings.json or --KEY=value arguments:");
        text.AppendLine();
        foreach (var (key, value) in Settings())
        {
            text.AppendLine($"  {key,-26} default: {(value.Length == 0 ? "(empty)" : value)}");
        }

        text.AppendLine();
        text.AppendLine("The README's configuration table explains each setting.");
        return text.ToString();
    }

    /// <summary>Every configuration key with its default value as text (keys shared by gateway and silo once).</summary>
    internal static IEnumerable<(string Key, string Default)> Settings() =>
        (from type in OptionTypes
         let defaults = Activator.CreateInstance(type)
         from property in type.GetProperties()
         let key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name
         where key is not null
         select (key, FormatDefault(property.GetValue(defaults)))).DistinctBy(setting => setting.key);

    private static string FormatDefault(object? value) => value switch
    {
        bool flag => flag ? "true" : "false",
        Enum option => option.ToString().ToLowerInvariant(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, string host, int port)
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
            throw new OptionsValidationException("HOST", typeof(GatewayOptions),
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
