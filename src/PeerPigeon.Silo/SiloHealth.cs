using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PeerPigeon.Grains.Hubs;

namespace PeerPigeon.Silo;

/// <summary>
/// <c>/health</c> of a silo: 200 while cluster membership counts it active, else 503 (starting, shutting down, or
/// declared dead by the others). Lists the active silos as this silo sees them.
/// </summary>
internal sealed class SiloHealth(ILocalSiloDetails silo, IClusterMembershipService membership, IOptions<ClusterOptions> cluster)
{
    public async Task WriteAsync(HttpContext context)
    {
        var snapshot = membership.CurrentSnapshot;
        var active = snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).ToList();
        var healthy = active.Any(member => member.SiloAddress.Equals(silo.SiloAddress));
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("status", healthy ? "healthy" : "unhealthy");
        writer.WriteString("silo", silo.Name);
        writer.WriteString("address", silo.SiloAddress.ToParsableString());
        writer.WriteString("hubPeerId", SiloHubId.Create(cluster.Value.ServiceId, silo.Name).Value);
        writer.WriteNumber("membershipVersion", snapshot.Version.Value);
        writer.WriteStartArray("activeSilos");
        foreach (var member in active)
        {
            writer.WriteStringValue(member.Name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
