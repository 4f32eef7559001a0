using Microsoft.AspNetCore.Http.Features;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// Wraps the request's upgrade so the WebSocket runs over an <see cref="ActivityStream"/>. Installed before the
/// WebSocket middleware, which takes the upgrade feature when it sees the request.
/// </summary>
internal sealed class ActivityUpgradeFeature(IHttpUpgradeFeature inner, TimeProvider time) : IHttpUpgradeFeature
{
    /// <summary>The upgraded stream, once the upgrade happened.</summary>
    public ActivityStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => Stream = new ActivityStream(await inner.UpgradeAsync(), time);

    /// <summary>Installs the wrapper on an upgradable request.</summary>
    public static void Install(HttpContext context, TimeProvider time)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            var feature = new ActivityUpgradeFeature(upgrade, time);
            context.Features.Set<IHttpUpgradeFeature>(feature);
            context.Features.Set(feature);
        }
    }
}
