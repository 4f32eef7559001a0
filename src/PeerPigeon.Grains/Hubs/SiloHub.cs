using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using PeerPigeon.Cluster;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Networks;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Hubs;

/// <summary>
/// Registers this silo as a PeerPigeon hub once it is active (listed in <c>/hubs</c>, an <c>isHub:true</c> member of the
/// hub namespace) and removes it when the silo stops. The hub id is stable: derived from the service id and the silo's
/// name, so a restarted silo with the same name comes back as the same hub.
/// </summary>
internal sealed partial class SiloHub(
    ILocalSiloDetails silo,
    IOptions<ClusterOptions> cluster,
    IOptions<SignalingOptions> options,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SiloHub> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>This silo's hub peer id.</summary>
    public PeerId HubId { get; } = CreateHubId(cluster.Value.ServiceId, silo.Name);

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (options.Value.IsHub)
        {
            lifecycle.Subscribe(nameof(SiloHub), ServiceLifecycleStage.Active, RegisterAsync, UnregisterAsync);
        }
    }

    internal static PeerId CreateHubId(string serviceId, string siloName) =>
        PeerId.Parse(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{serviceId}/{siloName}")).AsSpan(0, 20)));

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var endpoint = silo.SiloAddress.Endpoint;
        var members = $"\"host\":\"{endpoint.Address}\",\"port\":{endpoint.Port},\"capabilities\":[\"signaling\",\"relay\"],\"silo\":\"{silo.SiloAddress.ToParsableString()}\"";
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var hub = new HubRecord(HubId, now, now, options.Value.HubMeshNamespace, Encoding.UTF8.GetBytes($"{{\"isHub\":true,{members}}}"), now);
        await grains.GetClusterDirectory().RegisterSiloHubAsync(hub);
        await grains.GetNetworkGrain(options.Value.HubMeshNamespace)
            .JoinAsync(new NetworkMember(new DiscoveredPeer(HubId, true, Encoding.UTF8.GetBytes(members)), null), discover: true);
        LogRegistered(logger, HubId, options.Value.HubMeshNamespace);
    }

    private async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetNetworkGrain(options.Value.HubMeshNamespace).LeaveAsync(HubId, "Silo shutting down");
            await grains.GetClusterDirectory().UnregisterSiloHubAsync(HubId);
        }
        catch (Exception exception)
        {
            // The rest of the cluster may already be gone; membership will purge this hub (scale-out issue).
            LogUnregisterFailed(logger, exception, HubId);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Silo registered as hub {HubId} in {Network}")]
    private static partial void LogRegistered(ILogger logger, PeerId hubId, string network);

    [LoggerMessage(2, LogLevel.Warning, "Silo hub {HubId} could not unregister")]
    private static partial void LogUnregisterFailed(ILogger logger, Exception exception, PeerId hubId);
}
