using System.Diagnostics;
using System.Net.WebSockets;
using PeerPigeon.Bench.Protocol;

namespace PeerPigeon.Bench.Scenarios;

/// <summary>
/// Peers A and B in their own network. A sends numbered offers stamped with their (scheduled) send time; B records the
/// one-way latency and answers with the same number and stamp; A records the round trip. <c>window</c> 0 means open loop.
/// After every offer A sends <c>ice</c> ICE candidates, numbered seq * ice + i and carrying the offer's stamp; B times them.
/// Frames are built and read through <paramref name="protocol"/>; the network is ignored by protocols without networks.
/// </summary>
internal sealed class RelayPair(int index, string network, string sdp, int window, int ice, RelayCounters counters, IWireProtocol protocol) : IDisposable
{
    private readonly SequenceTracker offers = new();
    private readonly SequenceTracker answers = new();
    private readonly SequenceTracker candidates = new();
    private readonly TaskCompletionSource discovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim inFlight = new(Math.Max(1, window), Math.Max(1, window));

    public int Index { get; } = index;

    public string Network { get; } = network;

    public string APeerId { get; } = PeerIds.New();

    public string BPeerId { get; } = PeerIds.New();

    public BenchClient? A { get; set; }

    public BenchClient? B { get; set; }

    /// <summary>Completes when A has been told about B (both announced).</summary>
    public Task Discovered => discovered.Task;

    public long Gaps => offers.Gaps + answers.Gaps + candidates.Gaps;

    public long Duplicates => offers.Duplicates + answers.Duplicates + candidates.Duplicates;

    /// <summary>Open loop: offers at fixed times whatever the answers; latency counts from the scheduled time.</summary>
    public async Task SendOpenLoopAsync(long start, double ticksPerOffer, long end, CancellationToken cancellationToken)
    {
        var offset = ticksPerOffer * Index / Math.Max(1, counters.PairCount);
        for (long seq = 0; ; seq++)
        {
            var due = start + (long)(offset + (seq * ticksPerOffer));
            if (due >= end || !counters.TakeBudget())
            {
                return;
            }

            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (!await SendOfferAsync(seq, due, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Closed loop: keeps <c>window</c> offers in flight; each answer lets the next one go.</summary>
    public async Task SendClosedLoopAsync(long end, CancellationToken cancellationToken)
    {
        for (long seq = 0; ; seq++)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end);
            if (left <= TimeSpan.Zero || !await inFlight.WaitAsync(left, cancellationToken) || !counters.TakeBudget())
            {
                return;
            }

            if (!await SendOfferAsync(seq, Stopwatch.GetTimestamp(), cancellationToken))
            {
                return;
            }
        }
    }

    public ValueTask OnAFrameAsync(ReceivedFrame frame)
    {
        if (counters.Frozen)
        {
            return ValueTask.CompletedTask;
        }

        switch (frame.Kind)
        {
            case FrameKind.Discovered when frame.DataPeerId == BPeerId:
                discovered.TrySetResult();
                break;
            case FrameKind.Answer:
                var seq = frame.DataNumber("seq");
                var sentAt = frame.DataNumber("sent");
                Interlocked.Increment(ref counters.AnswersReceived);
                if (answers.Observe(seq))
                {
                    if (counters.IsMeasured(sentAt))
                    {
                        Interlocked.Increment(ref counters.AnswersReceivedMeasured);
                        counters.RoundTrip.RecordElapsed(sentAt, frame.ReceivedAt);
                    }

                    if (window > 0)
                    {
                        inFlight.Release();
                    }
                }

                break;
            case FrameKind.Error:
                counters.Errors.Add("server error to A: " + frame.ErrorText);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnBFrameAsync(ReceivedFrame frame)
    {
        if (counters.Frozen)
        {
            return;
        }

        switch (frame.Kind)
        {
            case FrameKind.Offer:
                var seq = frame.DataNumber("seq");
                var sentAt = frame.DataNumber("sent");
                Interlocked.Increment(ref counters.OffersReceived);
                if (!offers.Observe(seq))
                {
                    return;
                }

                if (counters.IsMeasured(sentAt))
                {
                    Interlocked.Increment(ref counters.OffersReceivedMeasured);
                    counters.OneWay.RecordElapsed(sentAt, frame.ReceivedAt);
                }

                try
                {
                    await B!.SendAsync(protocol.Signal(FrameKind.Answer, APeerId, Network, seq, sentAt, sdp), CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
                {
                    counters.Errors.Add("send answer: " + e.Message);
                }

                break;
            case FrameKind.IceCandidate:
                OnIceCandidate(frame);
                break;
            case FrameKind.Error:
                counters.Errors.Add("server error to B: " + frame.ErrorText);
                break;
        }
    }

    public void Dispose() => inFlight.Dispose();

    private void OnIceCandidate(ReceivedFrame frame)
    {
        var sentAt = frame.DataNumber("sent");
        Interlocked.Increment(ref counters.IceReceived);
        if (candidates.Observe(frame.DataNumber("seq")) && counters.IsMeasured(sentAt))
        {
            Interlocked.Increment(ref counters.IceReceivedMeasured);
            counters.IceOneWay.RecordElapsed(sentAt, frame.ReceivedAt);
        }
    }

    private async Task<bool> SendOfferAsync(long seq, long stamp, CancellationToken cancellationToken)
    {
        try
        {
            await A!.SendAsync(protocol.Signal(FrameKind.Offer, BPeerId, Network, seq, stamp, sdp), cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            counters.Errors.Add("send offer: " + e.Message);
            return false;
        }

        Interlocked.Increment(ref counters.OffersSent);
        var measured = counters.IsMeasured(stamp);
        if (measured)
        {
            Interlocked.Increment(ref counters.OffersSentMeasured);
        }

        for (var i = 0; i < ice; i++)
        {
            try
            {
                await A!.SendAsync(protocol.IceCandidate(BPeerId, Network, (seq * ice) + i, stamp), cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                counters.Errors.Add("send ice-candidate: " + e.Message);
                return false;
            }

            Interlocked.Increment(ref counters.IceSent);
            if (measured)
            {
                Interlocked.Increment(ref counters.IceSentMeasured);
            }
        }

        return true;
    }
}
