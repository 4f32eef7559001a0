using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PeerPigeon.Cluster;
using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Gateway.Connections;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Gateway.Http;

/// <summary>
/// <c>/health</c>, <c>/hubs</c>, <c>/stats</c>, <c>/hubstats</c>, <c>/metrics</c> (PROTOCOL.md §4): cluster-wide figures
/// from the cluster directory next to this gateway's own connections. A gateway that cannot reach the cluster
/// answers 503.
/// </summary>
internal sealed partial class StatusEndpoints(
    ConnectionRegistry registry,
    GatewayLease lease,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<StatusEndpoints> logger)
{
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(5);
    private static readonly DateTime ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly GatewayOptions _options = options.Value;

    public async Task HealthAsync(HttpContext context)
    {
        var snapshot = await TrySnapshotAsync();
        context.Response.StatusCode = snapshot is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await WriteAsync(context, writer =>
        {
            writer.WriteString("status", snapshot is null ? "unhealthy" : "healthy");
            writer.WriteString("timestamp", Now.UtcDateTime);
            writer.WriteNumber("uptime", Uptime.TotalSeconds);
            writer.WriteBoolean("isHub", snapshot?.SilosAreHubs ?? false);
            writer.WriteNumber("connections", registry.OpenCount);
            if (snapshot is null)
            {
                writer.WriteString("error", "The cluster did not answer");
            }
            else
            {
                writer.WriteNumber("peers", snapshot.Peers);
                writer.WriteNumber("hubs", snapshot.Hubs.Length);
                writer.WriteNumber("networks", snapshot.Networks.Count);
            }

            writer.WriteStartObject("memory");
            var gc = GC.GetGCMemoryInfo();
            writer.WriteNumber("rss", Environment.WorkingSet);
            writer.WriteNumber("heapTotal", gc.HeapSizeBytes);
            writer.WriteNumber("heapUsed", GC.GetTotalMemory(forceFullCollection: false));
            writer.WriteNumber("external", gc.TotalCommittedBytes - gc.HeapSizeBytes);
            writer.WriteNumber("arrayBuffers", 0);
            writer.WriteEndObject();
        });
    }

    public Task HubsAsync(HttpContext context) => WithSnapshotAsync(context, (writer, snapshot) =>
    {
        writer.WriteString("timestamp", Now.UtcDateTime);
        writer.WriteNumber("totalHubs", snapshot.Hubs.Length);
        WriteHubs(writer, snapshot);
    });

    public Task StatsAsync(HttpContext context) => WithSnapshotAsync(context, (writer, snapshot) =>
    {
        writer.WriteBoolean("isRunning", true);
        writer.WriteBoolean("isHub", snapshot.SilosAreHubs);
        if (snapshot.Hubs.FirstOrDefault(hub => hub.NetworkName == snapshot.HubNamespace) is { } siloHub && snapshot.SilosAreHubs)
        {
            writer.WriteString("hubPeerId", siloHub.PeerId.Value);
        }
        else
        {
            writer.WriteNull("hubPeerId");
        }

        writer.WriteString("hubMeshNamespace", snapshot.HubNamespace);
        writer.WriteNumber("connections", registry.OpenCount);
        writer.WriteNumber("peers", snapshot.Peers);
        writer.WriteNumber("hubs", snapshot.Hubs.Length);
        writer.WriteNumber("networks", snapshot.Networks.Count);
        writer.WriteStartObject("bootstrapHubs");
        writer.WriteNumber("total", 0);
        writer.WriteNumber("connected", 0);
        writer.WriteEndObject();
        writer.WriteNumber("maxConnections", _options.MaxConnections);
        writer.WriteNumber("uptime", (long)Uptime.TotalMilliseconds);
        writer.WriteString("host", _options.Host);
        writer.WriteNumber("port", context.Connection.LocalPort);
    });

    public Task HubStatsAsync(HttpContext context) => WithSnapshotAsync(context, (writer, snapshot) =>
    {
        writer.WriteNumber("totalHubs", snapshot.Hubs.Length);
        writer.WriteNumber("connectedHubs", snapshot.Hubs.Length);
        WriteHubs(writer, snapshot);
        writer.WriteStartArray("bootstrapHubs");
        writer.WriteEndArray();
    });

    public Task MetricsAsync(HttpContext context) => WithSnapshotAsync(context, (writer, snapshot) =>
    {
        writer.WriteString("timestamp", Now.UtcDateTime);
        writer.WriteNumber("uptime_ms", (long)Uptime.TotalMilliseconds);
        writer.WriteStartObject("server");
        writer.WriteBoolean("is_hub", snapshot.SilosAreHubs);
        writer.WriteString("namespace", snapshot.HubNamespace);
        writer.WriteString("region", Environment.GetEnvironmentVariable("FLY_REGION") ?? string.Empty);
        writer.WriteString("app_name", Environment.GetEnvironmentVariable("FLY_APP_NAME") ?? string.Empty);
        writer.WriteEndObject();
        writer.WriteStartObject("connections");
        writer.WriteNumber("active", registry.OpenCount);
        writer.WriteNumber("max", _options.MaxConnections);
        writer.WriteEndObject();
        writer.WriteStartObject("peers");
        writer.WriteNumber("total", snapshot.Peers);
        writer.WriteStartObject("networks");
        foreach (var (network, count) in snapshot.Networks.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(network, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("hubs");
        writer.WriteNumber("discovered", snapshot.Hubs.Length);
        writer.WriteNumber("bootstrap_connected", 0);
        writer.WriteEndObject();
        writer.WriteNumber("networks", snapshot.Networks.Count);
    });

    private DateTimeOffset Now => time.GetUtcNow();

    private TimeSpan Uptime => time.GetUtcNow().UtcDateTime - ProcessStart;

    private static void WriteHubs(Utf8JsonWriter writer, ClusterSnapshot snapshot)
    {
        writer.WriteStartArray("hubs");
        foreach (var hub in snapshot.Hubs)
        {
            writer.WriteStartObject();
            writer.WriteString("peerId", hub.PeerId.Value);
            writer.WriteNumber("registeredAt", hub.RegisteredAt);
            writer.WriteNumber("lastActivity", hub.LastActivity);
            writer.WriteString("networkName", hub.NetworkName);
            writer.WritePropertyName("data");
            writer.WriteRawValue(hub.Data, skipInputValidation: true);
            writer.WriteNumber("connectedAt", hub.ConnectedAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private async Task WithSnapshotAsync(HttpContext context, Action<Utf8JsonWriter, ClusterSnapshot> body)
    {
        if (await TrySnapshotAsync() is { } snapshot)
        {
            await WriteAsync(context, writer => body(writer, snapshot));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await WriteAsync(context, writer =>
        {
            writer.WriteString("status", "unhealthy");
            writer.WriteString("error", "The cluster did not answer");
        });
    }

    private async Task<ClusterSnapshot?> TrySnapshotAsync()
    {
        try
        {
            // Report first so this gateway's own figures are current, not as of the last lease interval.
            await lease.ReportAsync().WaitAsync(ClusterTimeout);
            return await grains.GetClusterDirectory().GetSnapshotAsync().WaitAsync(ClusterTimeout);
        }
        catch (Exception exception)
        {
            LogClusterUnreachable(logger, exception);
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    [LoggerMessage(1, LogLevel.Warning, "The cluster did not answer a status request")]
    private static partial void LogClusterUnreachable(ILogger logger, Exception exception);
}
