using Microsoft.Extensions.Configuration;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Where a standalone silo (<c>src/PeerPigeon.Silo</c>) listens and how it is named.</summary>
public sealed class SiloHostOptions
{
    /// <summary><c>ORLEANS_SILO_PORT</c>: the silo-to-silo port. Default 11111.</summary>
    [ConfigurationKeyName("ORLEANS_SILO_PORT")]
    public int SiloPort { get; set; } = 11111;

    /// <summary><c>ORLEANS_PRIMARY_SILO_PORT</c>: in <c>localhost</c> mode, the first silo's port. Default 11111.</summary>
    [ConfigurationKeyName("ORLEANS_PRIMARY_SILO_PORT")]
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>
    /// <c>ORLEANS_ADVERTISED_ADDRESS</c>: the IP address (or a host name resolved at start-up) other silos and the
    /// gateways reach this silo at. Default <c>127.0.0.1</c>; in a container, its own address or service name.
    /// </summary>
    [ConfigurationKeyName("ORLEANS_ADVERTISED_ADDRESS")]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary><c>SILO_NAME</c>: seeds this silo's stable hub id. Default <c>silo-&lt;ORLEANS_SILO_PORT&gt;</c>.</summary>
    [ConfigurationKeyName("SILO_NAME")]
    public string SiloName { get; set; } = string.Empty;

    /// <summary><c>HOST</c>: the address the silo's HTTP port (<c>/health</c>, <c>/metrics</c>, <c>/dashboard</c>) listens on. Default <c>localhost</c>.</summary>
    [ConfigurationKeyName("HOST")]
    public string Host { get; set; } = "localhost";

    /// <summary><c>SILO_HTTP_PORT</c>: the silo's HTTP port. Default 8080.</summary>
    [ConfigurationKeyName("SILO_HTTP_PORT")]
    public int HttpPort { get; set; } = 8080;

    /// <summary><c>AUTH_TOKEN</c>: when set, <c>/dashboard</c> asks for it (Bearer, Basic password or <c>?token=</c>). Default empty (open).</summary>
    [ConfigurationKeyName("AUTH_TOKEN")]
    public string AuthToken { get; set; } = string.Empty;

    /// <summary>The silo name actually used.</summary>
    public string EffectiveSiloName => string.IsNullOrWhiteSpace(SiloName) ? $"silo-{SiloPort}" : SiloName;
}
