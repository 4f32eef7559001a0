using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using PeerPigeon.Grains.Diagnostics;
using Orleans.Dashboard;

namespace PeerPigeon.Grains.Operations;

/// <summary>
/// What operators get from every process that hosts grains (standalone silos and the embedded server): the Orleans
/// dashboard at <c>/dashboard</c> behind <c>AUTH_TOKEN</c>, and OpenTelemetry metrics in Prometheus format.
/// </summary>
public static class OperatorEndpoints
{
    /// <summary>Where the dashboard is served.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>
    /// The meters exported at <c>/metrics</c> by every process: Orleans' own, the grains', and .NET's (GC heap and
    /// pauses, working set, CPU time, thread pool, lock contention).
    /// </summary>
    public static readonly string[] SiloMeters = ["Microsoft.Orleans", GrainInstruments.MeterName, "System.Runtime"];

    /// <summary>Adds the Orleans dashboard to a silo (its counters are collected by the silo itself).</summary>
    public static ISiloBuilder AddPeerPigeonDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    /// <summary>Exports <paramref name="meters"/> (plus <see cref="SiloMeters"/>) for a Prometheus scrape.</summary>
    public static IServiceCollection AddPeerPigeonMetrics(this IServiceCollection services, params string[] meters)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. SiloMeters, .. meters])
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Serves the dashboard at <c>/dashboard</c>. With a token, every dashboard request (page, scripts, API) must
    /// present it; a browser without one gets a Basic prompt (any user name, the token as password).
    /// </summary>
    public static WebApplication MapPeerPigeonDashboard(this WebApplication app, AuthToken token)
    {
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(DashboardPath) || token.IsPresentedBy(context.Request))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"PeerPigeon dashboard\", charset=\"UTF-8\"";
            return Task.CompletedTask;
        });
        app.MapOrleansDashboard(routePrefix: DashboardPath);
        return app;
    }

    /// <summary>A GET of <c>/metrics</c> whose <c>Accept</c> asks for text/plain or OpenMetrics (what Prometheus sends).</summary>
    public static bool IsPrometheusScrape(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Path.Value?.TrimEnd('/') != "/metrics")
        {
            return false;
        }

        var accept = context.Request.Headers.Accept.ToString();
        return accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase);
    }
}
