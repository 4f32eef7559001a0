using System.Net;
using Microsoft.Extensions.Options;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Silo;

/// <summary>
/// A standalone silo: hosts the PeerPigeon grains in a cluster (<c>localhost</c> or <c>redis</c>) and serves operators
/// on its own HTTP port: <c>/health</c>, <c>/metrics</c> (Prometheus) and the Orleans dashboard at <c>/dashboard</c>.
/// </summary>
public static class SiloServer
{
    private static readonly object[] Defaults = [new ClusteringOptions { Mode = ClusteringMode.Localhost }, new SiloHostOptions(), new SignalingOptions()];

    /// <summary>Builds the silo from <paramref name="args"/>, the environment and appsettings.json.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        var clustering = new ClusteringOptions { Mode = ClusteringMode.Localhost };
        configuration.Bind(clustering);
        var host = new SiloHostOptions();
        configuration.Bind(host);
        var failures = ClusteringOptionsValidator.Validate(clustering).Concat(Validate(clustering, host)).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(SiloServer), typeof(SiloHostOptions), failures);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ServerProcess.Listen(kestrel, host.Host, host.HttpPort);
        });
        builder.UseOrleans(silo => silo
            .UsePeerPigeonClustering(clustering, host)
            .AddPeerPigeonGrains(configuration)
            .AddPeerPigeonDashboard());
        builder.Services.AddPeerPigeonMetrics();
        builder.Services.AddSingleton<SiloHealth>();

        var app = builder.Build();
        app.MapPeerPigeonDashboard(new AuthToken(host.AuthToken));
        // Silos have no JSON figures of their own: /metrics is always the Prometheus exposition.
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        app.MapGet("/health", (SiloHealth health, HttpContext context) => health.WriteAsync(context));
        app.MapFallback(context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync($"PeerPigeon silo {host.EffectiveSiloName}: /health, /metrics, {OperatorEndpoints.DashboardPath}");
        });
        return app;
    }

    /// <summary>Runs the silo until it is stopped; returns the process exit code (2: invalid configuration).</summary>
    public static Task<int> RunAsync(string[] args) => ServerProcess.RunAsync(args, Help, Build);

    /// <summary>The <c>--help</c> text, generated from the options classes.</summary>
    internal static string Help() => SettingsCatalog.Help(
        "PeerPigeon.Orleans silo: hosts the PeerPigeon grains; gateways connect to it as Orleans clients.",
        "dotnet run --project src/PeerPigeon.Silo [-- --KEY=value ...]",
        "HTTP on SILO_HTTP_PORT: /health, /metrics (Prometheus), /dashboard (AUTH_TOKEN when set). deploy/README.md explains each setting.",
        Defaults);

    /// <summary>Every setting with its default.</summary>
    internal static IEnumerable<(string Key, string Default)> Settings() => SettingsCatalog.Settings(Defaults);

    private static IEnumerable<string> Validate(ClusteringOptions clustering, SiloHostOptions host)
    {
        if (clustering.Mode == ClusteringMode.Embedded)
        {
            yield return "ORLEANS_CLUSTERING=embedded is for the gateway: a standalone silo uses 'localhost' or 'redis'.";
        }

        foreach (var (variable, port) in new[] { ("ORLEANS_SILO_PORT", host.SiloPort), ("ORLEANS_PRIMARY_SILO_PORT", host.PrimarySiloPort), ("SILO_HTTP_PORT", host.HttpPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"{variable}={port} is out of range: use 1 to 65535 (a TCP port).";
            }
        }

        if (host.Host is not ("localhost" or "0.0.0.0" or "*" or "+") && !IPAddress.TryParse(host.Host, out _))
        {
            yield return $"HOST='{host.Host}' is not 'localhost', '0.0.0.0' or an IP address: use one of those.";
        }

        if (string.IsNullOrWhiteSpace(host.AdvertisedAddress))
        {
            yield return "ORLEANS_ADVERTISED_ADDRESS is empty: use the IP address other silos and the gateways reach this silo at.";
        }
    }
}
