using PeerPigeon.Push;

namespace PeerPigeon.Tests.Fleet;

/// <summary>One fleet shared by the tests of a class, which must leave it whole (they use fresh peer ids and networks).</summary>
public abstract class FleetFixture(PushTransport transport) : IAsyncLifetime
{
    private Fleet? _fleet;

    public PushTransport Transport { get; } = transport;

    public Fleet Fleet => _fleet ?? throw new InvalidOperationException("The fleet fixture has not started.");

    public async Task InitializeAsync() => _fleet = await Fleet.StartAsync(Transport);

    public async Task DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }
}
