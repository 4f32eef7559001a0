using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerPigeon.Grains.Diagnostics;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Grains.Push;
using PeerPigeon.Networks;
using PeerPigeon.Push;

namespace PeerPigeon.Grains.Networks;

/// <inheritdoc cref="INetworkGrain" />
internal sealed partial class NetworkGrain(
    IOptions<SignalingOptions> options,
    GatewayPushSender sender,
    GrainInstruments instruments,
    GrainClock clock,
    ILogger<NetworkGrain> logger) : Grain, INetworkGrain
{
    private readonly Dictionary<PeerId, NetworkMember> _members = [];
    private readonly Dictionary<string, GatewayMembers> _gateways = [];
    private readonly GoneHubs _goneHubs = new(clock);

    /// <summary>The members that joined this activation by announcing (rather than being re-asserted into it).</summary>
    private readonly HashSet<PeerId> _announcedHere = [];

    private string Name => this.GetPrimaryKeyString();

    public async Task JoinAsync(NetworkMember member, bool discover)
    {
        var announcedBefore = _announcedHere.Contains(member.Peer.PeerId);
        var known = Remove(member.Peer.PeerId) is not null;
        Add(member);
        _goneHubs.Forget(member.Peer.PeerId);
        if (discover || announcedBefore)
        {
            _announcedHere.Add(member.Peer.PeerId);
        }

        if (discover)
        {
            instruments.DiscoveryFanout(await IntroduceAsync(member, _members.Values));
            return;
        }

        // A re-asserted member: tell it about hubs that left while this network had lost it. If the network had lost
        // it (a silo took this network's state, or the member's), it and the peers that announced since never met:
        // introduce them to each other. Members re-asserted like it knew it before and are not told again.
        await TellGoneHubsAsync(member);
        if (!known)
        {
            // Iterates the announcers, not the members: while a network is rebuilt they are few, and it runs per member.
            await IntroduceAsync(member, _announcedHere.Select(peer => _members[peer]));
        }
    }

    /// <summary>
    /// Tells <paramref name="member"/> about the chosen ones of <paramref name="candidates"/> (see
    /// <see cref="DiscoverySelection"/>), and them about it, one push per gateway; returns how many were chosen.
    /// </summary>
    private async Task<int> IntroduceAsync(NetworkMember member, IEnumerable<NetworkMember> candidates)
    {
        var others = DiscoverySelection.Select(member.Peer.PeerId, candidates, options.Value.MaxDiscoveryPeers);
        if (others.Count == 0)
        {
            return 0;
        }

        var announcer = ImmutableArray.Create(member.Peer);
        var pushes = GroupByGateway(others)
            .Select(group => (group.Route, (GatewayPush)new PeersDiscoveredPush(Name, announcer, group.Recipients)))
            .ToList();
        if (member.Route is { } route)
        {
            pushes.Add((route, new PeersDiscoveredPush(Name, [.. others.Select(other => other.Peer)], [member.Peer.PeerId])));
        }

        await PushAllAsync(pushes);
        return others.Count;
    }

    public async Task LeaveAsync(PeerId peer, string reason)
    {
        if (Remove(peer) is { } member)
        {
            await AnnounceDeparturesAsync([member], reason);
            if (member.Peer.IsHub && member.Route is null)
            {
                _goneHubs.Add(peer, reason, _members.Keys);
            }
        }

        DeactivateWhenEmpty();
    }

    public async Task RemoveSiloHubAsync(PeerId hub, string reason)
    {
        if (_members.ContainsKey(hub))
        {
            await LeaveAsync(hub, reason);
            return;
        }

        if (_goneHubs.Contains(hub))
        {
            return;
        }

        // This network lost the hub with its state: tell the members it has now, and the rest as they come back.
        await AnnounceDeparturesAsync([new NetworkMember(new DiscoveredPeer(hub, true, []), null)], reason);
        _goneHubs.Add(hub, reason, _members.Keys);
    }

    private async Task TellGoneHubsAsync(NetworkMember member)
    {
        if (member.Route is not { } route)
        {
            return;
        }

        var untold = _goneHubs.TakeUntold(member.Peer.PeerId);
        await PushAllAsync([.. untold.Select(gone =>
            (route, (GatewayPush)new PeerDepartedPush(Name, gone.Hub, true, gone.Reason, [member.Peer.PeerId])))]);
    }

    public async Task GoodbyeAsync(PeerId peer, byte[]? data, long timestamp)
    {
        if (Remove(peer) is not { } member)
        {
            return;
        }

        await PushAllAsync([.. GroupByGateway(_members.Values)
            .Select(group => (group.Route, (GatewayPush)new GoodbyePush(Name, peer, data, timestamp, group.Recipients)))]);
        await AnnounceDeparturesAsync([member], "goodbye");
        DeactivateWhenEmpty();
    }

    private async Task AnnounceDeparturesAsync(IReadOnlyList<NetworkMember> departed, string reason)
    {
        var groups = GroupByGateway(_members.Values);
        await PushAllAsync([.. departed.SelectMany(member => groups.Select(group =>
            (group.Route, (GatewayPush)new PeerDepartedPush(Name, member.Peer.PeerId, member.Peer.IsHub, reason, group.Recipients))))]);
    }

    /// <summary>
    /// Sends each push to its gateway concurrently. Members of a gateway that turns out to be gone are removed and
    /// their departure announced once to the remaining members.
    /// </summary>
    private async Task PushAllAsync(IReadOnlyList<(GatewayRoute Route, GatewayPush Push)> pushes)
    {
        var results = await Task.WhenAll(pushes.Select(async item =>
        {
            try
            {
                await sender.PushAsync(item.Route, item.Push);
                return null;
            }
            catch (Exception exception)
            {
                LogPushFailed(logger, exception, Name, item.Route.GatewayId);
                return GatewayPushSender.IsGatewayGone(exception) ? item.Route.GatewayId : null;
            }
        }));

        foreach (var gone in results.OfType<string>().Distinct())
        {
            await PurgeGatewayAsync(gone);
        }
    }

    public async Task PurgeGatewayAsync(string gatewayId)
    {
        if (!_gateways.Remove(gatewayId, out var lost))
        {
            return;
        }

        _ = GrainFactory.GetClusterDirectory().UnwatchAsync(gatewayId, Name);

        var departed = lost.Peers.Select(peer => _members[peer]).ToList();
        foreach (var member in departed)
        {
            _members.Remove(member.Peer.PeerId);
            _announcedHere.Remove(member.Peer.PeerId);
        }

        await AnnounceDeparturesAsync(departed, PeerPigeon.Grains.Peers.PeerGrain.GatewayGoneReason);
        DeactivateWhenEmpty();
    }

    private List<(GatewayRoute Route, ImmutableArray<PeerId> Recipients)> GroupByGateway(IEnumerable<NetworkMember> members) =>
        [.. members
            .Where(member => member.Route is not null)
            .GroupBy(member => member.Route!.GatewayId)
            .Select(group => (_gateways[group.Key].Route, group.Select(member => member.Peer.PeerId).ToImmutableArray()))];

    private void Add(NetworkMember member)
    {
        _members[member.Peer.PeerId] = member;
        if (member.Route is { } route)
        {
            if (!_gateways.TryGetValue(route.GatewayId, out var gateway))
            {
                _gateways[route.GatewayId] = gateway = new GatewayMembers(route);

                // One-way: the directory calls networks when a gateway is gone, so this must never wait on it.
                _ = GrainFactory.GetClusterDirectory().WatchAsync(route.GatewayId, Name);
            }

            gateway.Route = route;
            gateway.Peers.Add(member.Peer.PeerId);
        }
    }

    private NetworkMember? Remove(PeerId peer)
    {
        if (!_members.Remove(peer, out var member))
        {
            return null;
        }

        _announcedHere.Remove(peer);

        if (member.Route is { } route && _gateways.TryGetValue(route.GatewayId, out var gateway))
        {
            gateway.Peers.Remove(peer);
            if (gateway.Peers.Count == 0)
            {
                _gateways.Remove(route.GatewayId);
                _ = GrainFactory.GetClusterDirectory().UnwatchAsync(route.GatewayId, Name);
            }
        }

        return member;
    }

    private void DeactivateWhenEmpty()
    {
        if (_members.Count == 0 && _goneHubs.IsEmpty)
        {
            DeactivateOnIdle();
        }
    }

    private sealed class GatewayMembers(GatewayRoute route)
    {
        public GatewayRoute Route { get; set; } = route;

        public HashSet<PeerId> Peers { get; } = [];
    }

    [LoggerMessage(1, LogLevel.Warning, "Network {Network}: push to gateway {GatewayId} failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string network, string gatewayId);
}
