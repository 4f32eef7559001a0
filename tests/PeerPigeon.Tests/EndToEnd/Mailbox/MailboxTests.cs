using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd.Mailbox;

/// <summary>
/// PROTOCOL.md §2 store-and-forward: signaling to a peer that is not attached waits <c>MESSAGE_TTL_MS</c> (the first
/// fixture sets 1500) and is delivered in order, in the sender's network, or expires with an error; with
/// <c>MESSAGE_TTL_MS=0</c> (the second fixture) the error is immediate.
/// </summary>
public abstract class MailboxTests(ServerFixture mailbox, ServerFixture noMailbox) : EndToEndTest
{
    protected GatewayServer Server => mailbox.Server;

    private TimeSpan Ttl => TimeSpan.FromMilliseconds(int.Parse(mailbox.Settings["MESSAGE_TTL_MS"]!, CultureInfo.InvariantCulture));

    [Fact]
    public async Task Signaling_waits_for_a_target_that_attaches_in_time_and_arrives_in_order_after_connected()
    {
        var sender = await ConnectAsync(Server);
        var targetId = Ids.NewPeerId();
        string[] types = ["offer", "ice-candidate", "ice-candidate", "answer", "renegotiation-offer"];
        for (var i = 0; i < types.Length; i++)
        {
            await sender.SendAsync(Wire.Signal(types[i], targetId, $$"""{"seq":{{i}}}""", "global"));
        }

        await sender.AssertNothingElseAsync(context: "queued signaling is not an error yet");

        var target = await OpenAsync(Server, $"/?peerId={targetId}", targetId);
        var connected = await target.ExpectAsync(Wire.IsType("connected"), "connected");
        var pending = await target.ExpectManyAsync(types.Length, message => Wire.Str(message, "fromPeerId") == sender.Id, "a message from the mailbox");

        Assert.Equal(0, connected.Index);
        Assert.Equal(Enumerable.Range(1, types.Length), pending.Select(frame => frame.Index));
        Assert.Equal(types, pending.Select(frame => Wire.Str(frame.Message, "type")));
        for (var i = 0; i < types.Length; i++)
        {
            var message = pending[i].Message;
            WireAssert.Fields(message, "type", "data", "fromPeerId", "targetPeerId", "networkName", "timestamp");
            Assert.Contains($$"""{"seq":{{i}}}""", pending[i].Raw, StringComparison.Ordinal);
            WireAssert.Str(message, "targetPeerId", targetId);
            WireAssert.Str(message, "networkName", "global");
            WireAssert.Timestamp(message);
        }

        // A later message to a target that never comes expires after these would have: no error for the delivered ones.
        var clock = Ids.NewPeerId();
        await sender.SignalAsync("offer", clock, """{"sdp":"clock"}""");
        await sender.ExpectAsync(Wire.Error($"Peer {clock} is not connected"), "the expiry error of the clock message", Ttl * 4);
        await sender.AssertNothingElseAsync(context: "delivered mailbox messages do not expire");
    }

    [Fact]
    public async Task Pending_signaling_is_delivered_when_the_target_announces_into_the_sender_network()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var targetId = Ids.NewPeerId();
        await sender.SendAsync(Wire.Signal("offer", targetId, """{"sdp":"waiting"}""", network));
        await sender.SendAsync(Wire.Signal("ice-candidate", targetId, """{"candidate":"c1"}""", network));
        await sender.SyncAsync();

        var target = await ConnectAsync(Server, targetId);
        await target.AssertNothingElseAsync(context: "signaling from another network waits for the announce");

        await target.AnnounceAsync(network);
        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the pending offer");
        var candidate = await target.ExpectAsync(Wire.Relayed("ice-candidate", sender.Id), "the pending ice-candidate");
        Assert.True(offer.Index < candidate.Index, "pending messages keep their order");
        WireAssert.Str(offer.Message, "networkName", network);
        Assert.Contains("""{"sdp":"waiting"}""", offer.Raw, StringComparison.Ordinal);
        await target.ExpectAsync(Wire.Discovered(sender.Id), "peer-discovered about the sender");
        await sender.ExpectAsync(Wire.Discovered(targetId), "peer-discovered about the target");
    }

    [Fact]
    public async Task Signaling_to_a_target_attached_but_not_yet_announced_waits_for_its_announce()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await ConnectAsync(Server);

        await sender.SignalAsync("offer", target, """{"sdp":"early"}""", network);
        await sender.SyncAsync();
        await target.AssertNothingElseAsync(context: "the target is not in the sender's network yet");

        await target.AnnounceAsync(network);
        var offer = await target.ExpectAsync(Wire.Relayed("offer", sender.Id), "the offer that waited for the announce");
        WireAssert.Str(offer.Message, "networkName", network);
    }

    [Fact]
    public async Task Pending_signaling_is_not_delivered_into_another_network_and_expires_with_an_error()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var target = await ConnectAsync(Server);
        await sender.SignalAsync("offer", target, """{"sdp":"elsewhere"}""", network);
        await sender.SyncAsync();

        await target.AnnounceAsync(Ids.NewNetwork());

        var error = await sender.ExpectAsync(Wire.Error(), "the expiry error", Ttl * 4);
        AssertExpired(error.Message, target.Id, "offer", network);
        await target.AssertNothingElseAsync(Wire.About(sender.Id), "the offer must not cross networks");
    }

    [Fact]
    public async Task Unclaimed_signaling_expires_after_the_TTL_with_one_error_per_message_in_the_exact_shape()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(Server, network, []);
        var absent = Ids.NewPeerId();
        var clock = Stopwatch.StartNew();

        await sender.SendAsync(Wire.Signal("offer", absent, """{"sdp":"lost"}""", network));
        await sender.SendAsync(Wire.Signal("ice-candidate", absent, """{"candidate":"lost"}""", network));

        var first = await sender.ExpectAsync(Wire.Error(), "the expiry error of the offer", Ttl * 4);
        Assert.True(clock.Elapsed >= Ttl * 0.9, $"The error came after {clock.ElapsedMilliseconds} ms, before the TTL of {Ttl.TotalMilliseconds} ms");
        var second = await sender.ExpectAsync(Wire.Error(), "the expiry error of the ice-candidate", Ttl * 4);
        AssertExpired(first.Message, absent, "offer", network);
        AssertExpired(second.Message, absent, "ice-candidate", network);
        await sender.AssertNothingElseAsync();
    }

    [Fact]
    public async Task Expired_signaling_is_not_delivered_to_a_target_that_attaches_later()
    {
        var sender = await ConnectAsync(Server);
        var late = Ids.NewPeerId();
        await sender.SignalAsync("offer", late, """{"sdp":"too-late"}""");
        await sender.ExpectAsync(Wire.Error(), "the expiry error", Ttl * 4);

        var target = await ConnectAsync(Server, late);

        await target.AssertNothingElseAsync();
    }

    [Fact]
    public async Task With_a_TTL_of_zero_signaling_to_an_absent_peer_is_an_immediate_error()
    {
        var network = Ids.NewNetwork();
        var sender = await JoinAsync(noMailbox.Server, network, []);
        var absent = Ids.NewPeerId();

        await sender.SendAsync(Wire.Signal("answer", absent, """{"sdp":"nobody"}""", network));
        var pong = await sender.SyncAsync();

        var error = await sender.ExpectAsync(Wire.Error(), "the immediate not-connected error", TimeSpan.Zero);
        Assert.True(error.Index < pong.Index, "the error comes before the answer to a later ping");
        AssertExpired(error.Message, absent, "answer", network);

        var target = await ConnectAsync(noMailbox.Server, absent);
        await target.AssertNothingElseAsync(context: "nothing was kept without a mailbox");
    }

    private static void AssertExpired(JsonElement error, string target, string type, string network)
    {
        WireAssert.Fields(error, "type", "error", "data", "networkName", "fromPeerId", "timestamp");
        WireAssert.Str(error, "type", "error");
        WireAssert.Str(error, "error", $"Peer {target} is not connected");
        WireAssert.Fields(error.GetProperty("data"), "targetPeerId", "type");
        WireAssert.Str(error.GetProperty("data"), "targetPeerId", target);
        WireAssert.Str(error.GetProperty("data"), "type", type);
        WireAssert.Str(error, "networkName", network);
        WireAssert.Str(error, "fromPeerId", "system");
        WireAssert.Timestamp(error);
    }
}
