using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using PeerPigeon.Grains.Hosting;

namespace PeerPigeon.Tests.Grains;

/// <summary>One in-process silo with the PeerPigeon grains, fake time, and a short mailbox for the tests.</summary>
public class GrainCluster : IAsyncLifetime
{
    public const int MessageTtlMs = 300;
    public const int MailboxCapacity = 3;

    private readonly ConcurrentBag<PushRecorder> _gateways = [];
    private InProcessTestCluster? _cluster;

    /// <summary>The grains' clock (Orleans keeps the real one): the mailbox expires only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    public IClusterClient Client => _cluster!.Client;

    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["MESSAGE_TTL_MS"] = MessageTtlMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MAILBOX_CAPACITY"] = MailboxCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new GrainClock(Time));
            silo.AddPeerPigeonGrains(configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// A stand-in gateway that records every push it receives. The cluster keeps it alive until it is disposed: Orleans
    /// holds an observer only weakly, and pushes to a collected one go unanswered (a test's last use of a local is not
    /// the end of its gateway's membership).
    /// </summary>
    public PushRecorder NewGateway()
    {
        var gateway = new PushRecorder(Client);
        _gateways.Add(gateway);
        return gateway;
    }

    public static PeerId NewPeerId() => PeerId.Parse(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));

    public static string NewNetwork() => $"net-{Guid.NewGuid():N}";
}

/// <summary>The same cluster with <c>DUPLICATE_PEER_POLICY=replace</c> and <c>MAX_DISCOVERY_PEERS=2</c>.</summary>
public sealed class ReplacingGrainCluster : GrainCluster
{
    protected override Dictionary<string, string?> Settings => new(base.Settings)
    {
        ["DUPLICATE_PEER_POLICY"] = "replace",
        ["MAX_DISCOVERY_PEERS"] = "2",
    };
}
