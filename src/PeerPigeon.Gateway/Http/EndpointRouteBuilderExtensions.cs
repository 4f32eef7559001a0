using PeerPigeon.Gateway.Connections;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Gateway.Http;

/// <summary>Maps the gateway's WebSocket and HTTP surface on one port.</summary>
public static class EndpointRouteBuilderExtensions
{
    internal const string FallbackText = "PeerPigeon WebSocket Signaling Server";

    /// <summary>
    /// WebSocket upgrades on any path; <c>GET /health /hubs /stats /hubstats /metrics</c>; <c>OPTIONS</c> as upstream;
    /// <c>text/plain</c> for anything else. Every HTTP response carries <c>Access-Control-Allow-Origin</c>.
    /// </summary>
    public static WebApplication MapPeerPigeon(this WebApplication app)
    {
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use((context, next) =>
        {
            ActivityUpgradeFeature.Install(context, time);
            return next(context);
        });
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                await context.RequestServices.GetRequiredService<WebSocketEndpoint>().HandleAsync(context);
                return;
            }

            if (context.RequestServices.GetRequiredService<AccessPolicy>().AllowOriginFor(context.Request) is { } origin)
            {
                context.Response.Headers.AccessControlAllowOrigin = origin;
            }

            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
                context.Response.Headers.AccessControlAllowHeaders = "Content-Type, Authorization";
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            await next(context);
        });

        // Prometheus asks for text/plain or OpenMetrics; anyone else (curl, a browser) gets the JSON below.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(OperatorEndpoints.IsPrometheusScrape);

        var status = app.Services.GetRequiredService<StatusEndpoints>();
        app.MapGet("/health", status.HealthAsync);
        app.MapGet("/hubs", status.HubsAsync);
        app.MapGet("/stats", status.StatsAsync);
        app.MapGet("/hubstats", status.HubStatsAsync);
        app.MapGet("/metrics", status.MetricsAsync);
        app.MapFallback("{**path}", context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(FallbackText);
        });
        return app;
    }
}
