namespace PeerPigeon.Peers;

/// <summary>The answer to <see cref="IPeerGrain.RenewAsync"/>.</summary>
[GenerateSerializer, Alias("PeerPigeon.Peers.LeaseStatus")]
public enum LeaseStatus
{
    /// <summary>The socket is (again) the attached one.</summary>
    Held,

    /// <summary>Another socket holds the id; the gateway must close its own.</summary>
    Superseded,
}
