using System.Collections.Concurrent;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A synchronization context with one thread of its own that runs every continuation posted to it, like a UI thread or
/// xUnit's context when all its threads are busy: code that blocks that thread while waiting for a continuation
/// posted to it never finishes.
/// </summary>
public sealed class SingleThreadContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    private SingleThreadContext()
    {
    }

    /// <summary>
    /// Starts <paramref name="operation"/> on a new thread with this context installed and runs the continuations it
    /// posts until it completes. The returned task completes with it; it never completes when the operation blocks its
    /// own thread (the thread is a background thread, so it does not keep the test process alive).
    /// </summary>
    public static Task RunAsync(Func<Task> operation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new SingleThreadContext();
            SetSynchronizationContext(context);
            Task task;
            try
            {
                task = operation();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
                return;
            }

            task.ContinueWith(_ => context._queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            if (task.Exception is { } failure)
            {
                done.SetException(failure.InnerExceptions);
            }
            else
            {
                done.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = nameof(SingleThreadContext),
        };
        thread.Start();
        return done.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // Posted after the operation ended and the thread stopped running continuations: run it elsewhere.
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public override SynchronizationContext CreateCopy() => this;
}
