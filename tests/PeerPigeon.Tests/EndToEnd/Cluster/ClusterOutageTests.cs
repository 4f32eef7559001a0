using System.Net;

namespace PeerPigeon.Tests.EndToEnd.Cluster;

/// <summary>PROTOCOL.md §4: a gateway that cannot reach the cluster answers <c>/health</c> with 503 <c>unhealthy</c>. Each test has its own cluster, since it stops the silo.</summary>
public abstract class ClusterOutageTests(Func<ClusterFixture> createCluster) : EndToEndTest
{
    [Fact]
    public async Task Health_is_503_unhealthy_when_the_cluster_is_unreachable()
    {
        var cluster = createCluster();
        await cluster.InitializeAsync();
        try
        {
            var (healthy, _) = await GetJsonAsync(cluster.First, "/health");
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

            await cluster.StopSiloAsync();

            var (response, health) = await GetJsonAsync(cluster.First, "/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            WireAssert.Str(health, "status", "unhealthy");
            WireAssert.IsoTimestamp(health);
            WireAssert.Number(health, "uptime");
            WireAssert.WholeNumber(health, "connections");
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
