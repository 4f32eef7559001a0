using System.Collections.Concurrent;
using PeerPigeon.Push;

namespace PeerPigeon.Tests.Grains;

/// <summary>A gateway observer that records pushes, for grain tests.</summary>
public sealed class PushRecorder : IGatewayObserver
{
    private readonly ConcurrentQueue<GatewayPush> _pushes = new();
    private TaskCompletionSource _arrived = NewSignal();

    public PushRecorder(IClusterClient client)
    {
        Route = new GatewayRoute($"test-gateway-{Guid.NewGuid():N}", client.CreateObjectReference<IGatewayObserver>(this));
    }

    public GatewayRoute Route { get; }

    public IReadOnlyList<GatewayPush> Pushes => [.. _pushes];

    public IReadOnlyList<T> Of<T>() where T : GatewayPush => [.. _pushes.OfType<T>()];

    public Task PushAsync(GatewayPush push)
    {
        _pushes.Enqueue(push);
        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        return Task.CompletedTask;
    }

    public void Clear() => _pushes.Clear();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits (bounded) for a push of type <typeparamref name="T"/> that matches.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool> match, string expectation, TimeSpan? timeout = null) where T : GatewayPush
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var arrived = Volatile.Read(ref _arrived);
            if (_pushes.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await arrived.Task.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Expected {expectation}; received: [{string.Join(", ", _pushes)}]");
            }
        }
    }
}
