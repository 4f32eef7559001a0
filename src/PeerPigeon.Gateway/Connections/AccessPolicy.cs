using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Grains.Operations;

namespace PeerPigeon.Gateway.Connections;

/// <summary>The checks an upgrade request passes before it becomes a WebSocket: <c>AUTH_TOKEN</c> and <c>CORS_ORIGIN</c>.</summary>
internal sealed class AccessPolicy(IOptions<AccessOptions> options, AuthToken token)
{
    private readonly IReadOnlyList<string> _origins = options.Value.AllowedOrigins;

    /// <summary>Whether the request carries <c>AUTH_TOKEN</c> (always true when no token is configured).</summary>
    public bool IsAuthorized(HttpRequest request) => token.IsPresentedBy(request);

    /// <summary>
    /// Whether a WebSocket upgrade from this request's <c>Origin</c> is allowed. Requests without an <c>Origin</c>
    /// (not from a browser) are allowed; browsers always send one.
    /// </summary>
    public bool IsOriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return _origins.Count == 0 || origin.Length == 0 || _origins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The <c>Access-Control-Allow-Origin</c> value for an HTTP response, or null for none.</summary>
    public string? AllowOriginFor(HttpRequest request)
    {
        if (_origins.Count == 0)
        {
            return options.Value.CorsOrigin.Trim();
        }

        var origin = request.Headers[HeaderNames.Origin].ToString();
        return _origins.Contains(origin, StringComparer.OrdinalIgnoreCase) ? origin : null;
    }
}
