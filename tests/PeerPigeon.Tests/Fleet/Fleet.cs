using System.Diagnostics;
using System.Globalization;
using System.Net;
using PeerPigeon.Push;
using PeerPigeon.Tests.EndToEnd;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// A real deployment on this machine: a private Redis (cluster membership), two silos and two gateways, each its own
/// process on fixed free loopback ports, under a cluster id no other fleet uses, all with one push transport. Silos and
/// gateways can be killed (SIGKILL), stopped (SIGTERM) and restarted on the same name and ports. Disposing kills
/// exactly the processes this fleet started (Redis last).
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    /// <summary><c>ORLEANS_SERVICE_ID</c> (not the default, so that the hub ids prove they are derived from it).</summary>
    public const string ServiceId = "peerpigeon-fleet";

    /// <summary>The silos' <c>AUTH_TOKEN</c>, which guards their dashboard.</summary>
    public const string DashboardToken = "fleet-dashboard-token";

    /// <summary>The gateways' <c>CLEANUP_INTERVAL_MS</c>: a realistic lease; the heartbeat is min(this, 2 s).</summary>
    public const int CleanupIntervalMs = 5000;

    /// <summary>How long a fleet (or a restarted process) may take to be ready: several .NET processes start at once on few cores.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly List<FleetGateway> _extraGateways = [];

    private Fleet(PushTransport transport, RedisServer redis)
    {
        Transport = transport;
        Redis = redis;
        ClusterId = $"fleet-{Guid.NewGuid():N}";
        Silos = [NewSilo("fleet-silo-1"), NewSilo("fleet-silo-2")];
        Gateways = [NewGateway("fleet-gateway-1"), NewGateway("fleet-gateway-2")];
    }

    public PushTransport Transport { get; }

    public RedisServer Redis { get; }

    /// <summary><c>ORLEANS_CLUSTER_ID</c>, unique to this fleet.</summary>
    public string ClusterId { get; }

    public IReadOnlyList<FleetSilo> Silos { get; }

    public IReadOnlyList<FleetGateway> Gateways { get; }

    /// <summary>Starts Redis, then both silos and both gateways together, and waits until the fleet is ready.</summary>
    public static async Task<Fleet> StartAsync(PushTransport transport)
    {
        var redis = await RedisServer.StartAsync();
        var fleet = new Fleet(transport, redis);
        try
        {
            await Task.WhenAll(fleet.Silos.Select(silo => silo.StartAsync()));
            await Task.WhenAll(fleet.Gateways.Select(gateway => gateway.StartAsync()));
            await fleet.WaitUntilReadyAsync();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every running silo answers <c>/health</c> 200 and counts exactly the running silos as active, and
    /// every running gateway answers <c>/health</c> 200 and lists exactly the running silos' hubs in <c>/hubs</c>
    /// (besides any client hubs). Returns how long that took. <paramref name="progress"/>, when given, is told each
    /// change in what is still missing.
    /// </summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan? timeout = null, Action<string>? progress = null)
    {
        var started = Stopwatch.GetTimestamp();
        var last = string.Empty;
        var (_, elapsed) = await Poll.UntilAsync(
            async () =>
            {
                var problems = await ReadinessAsync();
                var now = string.Join("; ", problems);
                if (progress is not null && now != last)
                {
                    progress($"+{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {(problems.Count == 0 ? "ready" : now)}");
                    last = now;
                }

                return problems;
            },
            problems => problems.Count == 0,
            $"the fleet to be ready ({string.Join(", ", Silos.Where(silo => silo.IsRunning).Select(silo => silo.Name))} active; "
            + "every running gateway healthy and listing exactly their hubs)",
            timeout ?? ReadyTimeout, problems => string.Join("; ", problems) + Environment.NewLine + DescribeProcesses());
        return elapsed;
    }

    /// <summary>
    /// The index of the silo holding the one activation of grain type <paramref name="grainType"/> (e.g. <c>peer</c>,
    /// <c>network</c>), read from the silos' <c>orleans_grains{grain_type="…"}</c>; waits until the fleet holds exactly one.
    /// </summary>
    public async Task<int> SiloHoldingTheOnlyAsync(string grainType)
    {
        var label = $"grain_type=\"{grainType}\"";
        var (counts, _) = await Poll.UntilAsync(
            async () => await Task.WhenAll(Silos.Select(async silo =>
                silo.IsRunning ? (await Prometheus.TryScrapeAsync(silo.Http))?.Sum("orleans_grains", label) ?? -1 : 0)),
            counts => counts.Sum() == 1 && counts.All(count => count >= 0),
            $"exactly one {grainType} grain in the fleet (orleans_grains{{{label}}} on the silos)", TimeSpan.FromSeconds(15),
            counts => string.Join(", ", counts.Select(count => count.ToString(CultureInfo.InvariantCulture))));
        return Array.IndexOf(counts, 1d);
    }

    public Task KillSiloAsync(int index) => Silos[index].KillAsync();

    public Task<int> StopSiloAsync(int index) => Silos[index].StopAsync();

    /// <summary>Starts silo <paramref name="index"/> again (same name and ports) after it was killed or stopped; does not wait.</summary>
    public Task RestartSiloAsync(int index) => Silos[index].StartAsync();

    public Task KillGatewayAsync(int index) => Gateways[index].KillAsync();

    public Task<int> StopGatewayAsync(int index) => Gateways[index].StopAsync();

    /// <summary>Starts gateway <paramref name="index"/> again on its port after it was killed or stopped; waits until it listens.</summary>
    public Task RestartGatewayAsync(int index) => Gateways[index].StartAsync();

    /// <summary>
    /// Starts a third gateway in this fleet (same settings, its own port), for a test that kills a gateway without
    /// breaking the fleet the other tests share; disposed with the fleet. Waits until it is healthy.
    /// </summary>
    public async Task<FleetGateway> StartExtraGatewayAsync()
    {
        var gateway = NewGateway($"fleet-gateway-extra-{_extraGateways.Count + 1}");
        _extraGateways.Add(gateway);
        await gateway.StartAsync();
        await WaitUntilReadyAsync();
        return gateway;
    }

    /// <summary>Every process of the fleet and its state, for failure messages.</summary>
    public string DescribeProcesses() =>
        $"Fleet {ClusterId} ({ServerFixture.TransportName(Transport)}): redis :{Redis.Port} (pid {Redis.Process.Id}); "
        + string.Join("; ", Silos.Select(silo => silo.ToString()).Concat(AllGateways.Select(gateway => gateway.ToString())));

    /// <summary>The last output lines of every process of the fleet, for diagnosing a failed test.</summary>
    public string DescribeOutputs() =>
        string.Join(Environment.NewLine, Silos.Select(silo => silo.Process).Concat(AllGateways.Select(gateway => gateway.Process?.Process))
            .OfType<ChildProcess>().Select(process => process.DescribeOutput()));

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var process in AllGateways.Cast<IAsyncDisposable>().Concat(Silos).Append(Redis))
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the fleet failed.", failures);
        }
    }

    private IEnumerable<FleetGateway> AllGateways => Gateways.Concat(_extraGateways);

    private Dictionary<string, string?> ClusterSettings() => new()
    {
        ["ORLEANS_CLUSTERING"] = "redis",
        ["REDIS_CONNECTION_STRING"] = Redis.ConnectionString,
        ["ORLEANS_CLUSTER_ID"] = ClusterId,
        ["ORLEANS_SERVICE_ID"] = ServiceId,
        ["HOST"] = "127.0.0.1",
        ["PUSH_TRANSPORT"] = ServerFixture.TransportName(Transport),

        // The processes' own and Orleans' warnings are kept for failure messages; one line per HTTP request would crowd them out.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ",
    };

    private FleetSilo NewSilo(string name)
    {
        var httpPort = FreePorts.Next();
        var settings = ClusterSettings();
        settings["SILO_NAME"] = name;
        settings["ORLEANS_ADVERTISED_ADDRESS"] = "127.0.0.1";
        settings["ORLEANS_SILO_PORT"] = Text(FreePorts.Next());
        settings["ORLEANS_GATEWAY_PORT"] = Text(FreePorts.Next());
        settings["SILO_HTTP_PORT"] = Text(httpPort);
        settings["AUTH_TOKEN"] = DashboardToken;
        return new FleetSilo(name, httpPort, settings, ServiceId);
    }

    private FleetGateway NewGateway(string name)
    {
        var port = FreePorts.Next();
        var settings = ClusterSettings();
        settings["PORT"] = Text(port);
        settings["CLEANUP_INTERVAL_MS"] = Text(CleanupIntervalMs);
        return new FleetGateway(name, port, settings);
    }

    private async Task<List<string>> ReadinessAsync()
    {
        var problems = new List<string>();
        var running = Silos.Where(silo => silo.IsRunning).ToList();
        var names = running.Select(silo => silo.Name).Order(StringComparer.Ordinal).ToList();
        var hubIds = running.Select(silo => silo.HubId).ToHashSet();
        var stoppedHubIds = Silos.Where(silo => !silo.IsRunning).Select(silo => silo.HubId).ToHashSet();
        foreach (var silo in running)
        {
            switch (await silo.HealthAsync())
            {
                case null:
                    problems.Add($"{silo.Name}: /health does not answer");
                    break;
                case var (status, body) when status != HttpStatusCode.OK:
                    problems.Add($"{silo.Name}: /health {(int)status} {body.GetRawText()}");
                    break;
                case var (_, body):
                    var active = body.GetProperty("activeSilos").EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal).ToList();
                    if (!active.SequenceEqual(names))
                    {
                        problems.Add($"{silo.Name}: active silos [{string.Join(", ", active)}]");
                    }

                    break;
            }
        }

        foreach (var gateway in AllGateways.Where(gateway => gateway.IsRunning))
        {
            var health = await gateway.HealthAsync();
            if (health is not (HttpStatusCode.OK, _))
            {
                problems.Add($"{gateway.Name}: /health {(health is { } answer ? $"{(int)answer.Status} {answer.Body.GetRawText()}" : "does not answer")}");
                continue;
            }

            var listed = await gateway.HubIdsAsync();
            if (listed is null || !hubIds.IsSubsetOf(listed) || listed.Any(stoppedHubIds.Contains))
            {
                problems.Add($"{gateway.Name}: /hubs lists [{(listed is null ? "no answer" : string.Join(", ", listed))}]");
            }
        }

        return problems;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
