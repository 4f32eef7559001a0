using System.Net.WebSockets;
using System.Text.Json;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// The frames one peer received, in arrival order. Expectations claim frames from it; a wait is bounded and, when it
/// fails, says what was expected and lists what arrived.
/// </summary>
public sealed class Inbox(string owner)
{
    private const int DescribedFrames = 40;

    private readonly List<ReceivedFrame> _frames = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _end = "still open";

    /// <summary>Completes when no more frames can arrive (the socket closed or broke).</summary>
    public Task Ended => _ended.Task;

    /// <summary>How the socket ended, for failure messages.</summary>
    public string EndDescription => _end;

    /// <summary>The number of frames received so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _frames.Count;
            }
        }
    }

    /// <summary>Every frame received so far.</summary>
    public IReadOnlyList<ReceivedFrame> Snapshot()
    {
        lock (_gate)
        {
            return [.. _frames];
        }
    }

    /// <summary>Records a frame and wakes the waiting expectations.</summary>
    public void Add(WebSocketMessageType type, string text)
    {
        TaskCompletionSource arrival;
        lock (_gate)
        {
            _frames.Add(new ReceivedFrame(_frames.Count, type, text));
            arrival = _arrival;
            _arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrival.TrySetResult();
    }

    /// <summary>Records that nothing more will arrive, and how the socket ended.</summary>
    public void End(string description)
    {
        TaskCompletionSource arrival;
        lock (_gate)
        {
            _end = description;
            _ended.TrySetResult();
            arrival = _arrival;
        }

        arrival.TrySetResult();
    }

    /// <summary>
    /// Waits for the first unclaimed frame at or after <paramref name="fromIndex"/> that satisfies
    /// <paramref name="match"/>, claims it and returns it.
    /// </summary>
    public async Task<ReceivedFrame> ExpectAsync(int fromIndex, Func<JsonElement, bool> match, string expectation, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task arrival;
            lock (_gate)
            {
                for (var i = fromIndex; i < _frames.Count; i++)
                {
                    var frame = _frames[i];
                    if (!frame.Consumed && frame.Json is { } json && match(json))
                    {
                        frame.Consumed = true;
                        return frame;
                    }
                }

                if (_ended.Task.IsCompleted)
                {
                    Assert.Fail($"Peer {owner}: expected {expectation}, but the socket ended ({_end}). {DescribeLocked()}");
                }

                arrival = _arrival.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                Assert.Fail($"Peer {owner}: expected {expectation} within {limit.TotalSeconds:0.##} s. {Describe()}");
            }

            await Task.WhenAny(arrival, Task.Delay(remaining));
        }
    }

    /// <summary>The unclaimed frames before <paramref name="beforeIndex"/> that <paramref name="relevant"/> selects (all by default).</summary>
    public IReadOnlyList<ReceivedFrame> Unclaimed(int beforeIndex, Func<JsonElement, bool>? relevant)
    {
        lock (_gate)
        {
            return [.. _frames.Where(frame => frame.Index < beforeIndex && !frame.Consumed
                && (relevant is null || (frame.Json is { } json && relevant(json))))];
        }
    }

    /// <summary>The state of the socket and the last frames, for failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return DescribeLocked();
        }
    }

    private string DescribeLocked()
    {
        var state = _ended.Task.IsCompleted ? $"Socket ended: {_end}." : "Socket open.";
        if (_frames.Count == 0)
        {
            return $"{state} Nothing arrived.";
        }

        return $"{state} Arrived ({_frames.Count}):{Environment.NewLine}"
            + string.Join(Environment.NewLine, _frames.TakeLast(DescribedFrames).Select(frame => "  " + frame.Describe()));
    }
}
