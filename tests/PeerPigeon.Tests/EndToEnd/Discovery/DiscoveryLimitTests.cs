namespace PeerPigeon.Tests.EndToEnd.Discovery;

/// <summary>PROTOCOL.md §2: <c>MAX_DISCOVERY_PEERS</c> (the fixture sets 2) introduces only the XOR-closest members.</summary>
public abstract class DiscoveryLimitTests(ServerFixture fixture) : EndToEndTest
{
    private const int Limit = 2;

    protected GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Only_the_XOR_closest_members_are_introduced_and_told()
    {
        // Ids share a random prefix; the tails are chosen so that XOR distance, numeric distance and string order
        // disagree: the numeric neighbour of the announcer (7fff…) is the farthest by XOR.
        var prefix = Ids.NewPeerId()[..8];
        var announcerId = prefix + "8" + new string('0', 31);
        string[] tails =
        [
            "7" + new string('f', 31),
            "8" + new string('0', 30) + "3",
            "8" + new string('0', 28) + "100",
            "c" + new string('0', 31),
            new string('0', 31) + "1",
        ];
        var network = Ids.NewNetwork();
        var members = new List<TestPeer>();
        foreach (var tail in tails)
        {
            var member = await ConnectAsync(Server, prefix + tail);
            await member.AnnounceAsync(network);
            foreach (var closest in Closest(member.Id, members))
            {
                await closest.ExpectAsync(Wire.Discovered(member.Id), $"peer-discovered about {member.Id}");
                await member.ExpectAsync(Wire.Discovered(closest.Id), $"peer-discovered about {closest.Id}");
            }

            members.Add(member);
        }

        var announcer = await ConnectAsync(Server, announcerId);
        await announcer.AnnounceAsync(network);

        var expected = Closest(announcerId, members);
        Assert.Equal([prefix + tails[1], prefix + tails[2]], expected.Select(member => member.Id).Order(StringComparer.Ordinal));
        foreach (var closest in expected)
        {
            await announcer.ExpectAsync(Wire.Discovered(closest.Id), $"peer-discovered about the close member {closest.Id}");
            await closest.ExpectAsync(Wire.Discovered(announcerId), $"peer-discovered about the announcer at {closest.Id}");
        }

        await announcer.AssertNothingElseAsync(context: "only the two closest members are introduced");
        foreach (var member in members)
        {
            await member.AssertNothingElseAsync(context: "only the two closest members are told about the announcer");
        }
    }

    [Fact]
    public async Task Fewer_members_than_the_limit_are_all_introduced()
    {
        var network = Ids.NewNetwork();
        var first = await JoinAsync(Server, network, []);
        var second = await JoinAsync(Server, network, [first]);

        await JoinAsync(Server, network, [first, second]);

        await first.AssertNothingElseAsync();
        await second.AssertNothingElseAsync();
    }

    private static List<TestPeer> Closest(string id, IEnumerable<TestPeer> members) =>
        [.. members.OrderBy(member => Ids.XorDistance(id, member.Id)).Take(Limit)];
}
