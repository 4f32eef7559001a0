using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PeerPigeon.Grains.Operations;

/// <summary>
/// The <c>AUTH_TOKEN</c> check shared by WebSocket upgrades and the dashboard: <c>Authorization: Bearer &lt;token&gt;</c>,
/// <c>?token=&lt;token&gt;</c> or, for a browser's own prompt, HTTP Basic with the token as the password (any user name).
/// Compared by hash in constant time, so neither the content nor the length of the token leaks through timing.
/// </summary>
public sealed class AuthToken(string? token)
{
    private readonly byte[]? _hash = string.IsNullOrEmpty(token) ? null : Hash(token);

    /// <summary>Whether a token is configured at all.</summary>
    public bool IsRequired => _hash is not null;

    /// <summary>Whether the request carries the token (always true when none is configured).</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        if (_hash is null)
        {
            return true;
        }

        var presented = Presented(request);
        return presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? null : credentials[(colon + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
