namespace PeerPigeon.Tests;

/// <summary>Bounded waits: past the bound the test fails with a message saying what was expected and what is still so.</summary>
public static class Bounded
{
    /// <summary>Waits for <paramref name="task"/> at most <paramref name="bound"/>, else fails with <paramref name="failure"/>.</summary>
    public static async Task WaitAsync(Task task, TimeSpan bound, Func<string> failure)
    {
        try
        {
            await task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail(failure());
        }
    }
}
