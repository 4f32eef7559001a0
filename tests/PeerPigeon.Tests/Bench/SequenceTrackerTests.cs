using PeerPigeon.Bench.Scenarios;

namespace PeerPigeon.Tests.Bench;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void In_order_delivery_has_no_gaps_or_duplicates()
    {
        var tracker = new SequenceTracker();
        Assert.All(Enumerable.Range(0, 10), seq => Assert.True(tracker.Observe(seq)));
        Assert.Equal(0, tracker.Gaps);
        Assert.Equal(0, tracker.Duplicates);
    }

    [Fact]
    public void A_jump_counts_the_skipped_numbers_and_a_repeat_is_a_duplicate()
    {
        var tracker = new SequenceTracker();
        Assert.True(tracker.Observe(0));
        Assert.True(tracker.Observe(3));
        Assert.False(tracker.Observe(3));
        Assert.False(tracker.Observe(1));
        Assert.True(tracker.Observe(4));
        Assert.Equal(2, tracker.Gaps);
        Assert.Equal(2, tracker.Duplicates);
    }
}
