namespace PeerPigeon.Grains.Hosting;

/// <summary>What happens when a peer id connects while another socket holds it, anywhere in the cluster.</summary>
public enum DuplicatePeerPolicy
{
    /// <summary>The new socket is closed with 1008 <c>Peer already connected</c> (upstream behaviour).</summary>
    Reject,

    /// <summary>The old socket is closed with 1008 <c>Replaced by a new connection</c> and the new one attaches.</summary>
    Replace,
}
