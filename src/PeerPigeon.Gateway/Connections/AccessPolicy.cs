using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PeerPigeon.Gateway.Hosting;

namespace PeerPigeon.Gateway.Connections;

/// <summary>The checks an upgrade request passes before it becomes a WebSocket: <c>AUTH_TOKEN</c> and <c>CORS_ORIGIN</c>.</summary>
internal sealed class AccessPolicy(IOptions<AccessOptions> options)
{
    private readonly byte[]? _tokenHash = string.IsNullOrEmpty(options.Value.AuthToken) ? null : Hash(options.Value.AuthToken);
    private readonly IReadOnlyList<string> _origins = options.Value.AllowedOrigins;

    /// <summary>Whether the request carries the token (always true when no token is configured).</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return true;
        }

        string? presented = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (request.Query.TryGetValue("token", out var token))
        {
            presented = token.ToString();
        }

        // Compare hashes in constant time so neither the content nor the length of the token leaks through timing.
        return presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _tokenHash);
    }

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

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
