using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Http;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>Builds and runs the gateway: WebSockets and HTTP on one port, over an embedded silo or a cluster.</summary>
public static class PeerPigeonServer
{
    /// <summary>The options whose keys make up the configuration, with their defaults (shown by <c>--help</c>).</summary>
    private static readonly object[] Defaults = [new GatewayOptions(), new AccessOptions(), new SignalingOptions(), new ClusteringOptions()];

    /// <summary>Builds the server. <paramref name="configure"/> lets tests add configuration sources.</summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);

        var gateway = builder.Configuration.Get<GatewayOptions>() ?? new GatewayOptions();
        var clustering = builder.Configuration.Get<ClusteringOptions>() ?? new ClusteringOptions();
        // Checked now, not at start: the Orleans client is configured from these before options validation runs.
        if (ClusteringOptionsValidator.Validate(clustering).ToList() is [_, ..] failures)
        {
            throw new OptionsValidationException(nameof(ClusteringOptions), typeof(ClusteringOptions), failures);
        }

        builder.Services.AddOptions<ClusteringOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusteringOptions>, ClusteringOptionsValidator>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ServerProcess.Listen(kestrel, gateway.Host, gateway.Port);
        });

        builder.AddPeerPigeonOrleans(clustering, gateway);
        builder.Services.AddPeerPigeonGateway(builder.Configuration);

        var app = builder.Build();
        if (clustering.Mode == ClusteringMode.Embedded)
        {
            app.MapPeerPigeonDashboard(app.Services.GetRequiredService<AuthToken>());
        }

        app.MapPeerPigeon();
        return app;
    }

    /// <summary>Runs the server until it is stopped; returns the process exit code (2: invalid configuration).</summary>
    public static Task<int> RunAsync(string[] args) => ServerProcess.RunAsync(args, Help, arguments => Build(arguments), app =>
    {
        foreach (var address in app.Urls)
        {
            Console.Out.WriteLine($"PeerPigeon signaling server listening on {address.Replace("http://", "ws://", StringComparison.Ordinal)} (HTTP on the same port)");
        }
    });

    /// <summary>The <c>--help</c> text: every setting with its default, read from the options classes themselves.</summary>
    internal static string Help() => SettingsCatalog.Help(
        "PeerPigeon.Orleans gateway: a PeerPigeon-compatible WebRTC signaling server.",
        "dotnet run --project src/PeerPigeon.Gateway [-- --KEY=value ...]",
        "The README's configuration table explains each setting.",
        Defaults);

    /// <summary>Every configuration key with its default value as text (keys shared by gateway and silo once).</summary>
    internal static IEnumerable<(string Key, string Default)> Settings() => SettingsCatalog.Settings(Defaults);
}
