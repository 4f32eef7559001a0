namespace PeerPigeon.Gateway.Hosting;

/// <summary>Who may open a WebSocket.</summary>
public sealed class AccessOptions
{
    /// <summary>
    /// <c>AUTH_TOKEN</c>: when set, an upgrade needs <c>Authorization: Bearer &lt;token&gt;</c> or <c>?token=&lt;token&gt;</c>,
    /// else HTTP 401 before the upgrade. Default empty (open).
    /// </summary>
    [ConfigurationKeyName("AUTH_TOKEN")]
    public string AuthToken { get; set; } = string.Empty;

    /// <summary>
    /// <c>CORS_ORIGIN</c>: <c>*</c> (default) or a comma-separated list of origins. With a list, upgrades whose
    /// <c>Origin</c> is not in it get HTTP 403, and HTTP responses echo only listed origins.
    /// </summary>
    [ConfigurationKeyName("CORS_ORIGIN")]
    public string CorsOrigin { get; set; } = "*";

    /// <summary><c>BOOTSTRAP_HUBS</c>: hub federation links. Not supported yet; must stay empty.</summary>
    [ConfigurationKeyName("BOOTSTRAP_HUBS")]
    public string BootstrapHubs { get; set; } = string.Empty;

    /// <summary><c>HUB_TOKEN</c>: the secret that grants inbound hub privileges. Not supported yet; must stay empty.</summary>
    [ConfigurationKeyName("HUB_TOKEN")]
    public string HubToken { get; set; } = string.Empty;

    /// <summary>The allowed origins, or empty when any origin is allowed.</summary>
    internal IReadOnlyList<string> AllowedOrigins =>
        CorsOrigin.Trim() == "*" ? [] : [.. CorsOrigin.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
