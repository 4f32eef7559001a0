using Microsoft.Extensions.Options;

namespace PeerPigeon.Gateway.Hosting;

/// <summary>Rejects settings that cannot work, naming the variable and the fix.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>, IValidateOptions<AccessOptions>
{
    /// <summary>Room for the envelope the server adds around a relayed <c>data</c>.</summary>
    internal const int FrameEnvelopeAllowance = 4096;

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        Range(failures, "PORT", options.Port, 0, 65535, "a TCP port (0 picks a free one)");
        Range(failures, "MAX_CONNECTIONS", options.MaxConnections, 1, 10_000_000, "sockets per gateway");
        Range(failures, "MAX_MESSAGE_SIZE", options.MaxMessageSize, 1024, 64 * 1_048_576, "bytes");
        Range(failures, "SEND_QUEUE_BYTES", options.SendQueueBytes, 64 * 1024, 1024 * 1_048_576, "bytes");
        if (options.SendQueueBytes < options.MaxMessageSize + FrameEnvelopeAllowance)
        {
            failures.Add($"SEND_QUEUE_BYTES={options.SendQueueBytes} cannot hold one frame of MAX_MESSAGE_SIZE={options.MaxMessageSize}: use at least MAX_MESSAGE_SIZE + {FrameEnvelopeAllowance}.");
        }
        Range(failures, "KEEPALIVE_INTERVAL_MS", options.KeepAliveIntervalMs, 100, 3_600_000, "milliseconds");
        Range(failures, "PEER_TIMEOUT_MS", options.PeerTimeoutMs, 100, 86_400_000, "milliseconds");
        Range(failures, "CLEANUP_INTERVAL_MS", options.CleanupIntervalMs, 100, 3_600_000, "milliseconds");
        Range(failures, "MAX_NETWORK_NAME_LENGTH", options.MaxNetworkNameLength, 1, 65_536, "characters");
        Range(failures, "MAX_ANNOUNCE_DATA_BYTES", options.MaxAnnounceDataBytes, 2, 64 * 1_048_576, "bytes");
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("HOST is empty: use 'localhost', an IP address such as 127.0.0.1, or 0.0.0.0 for all interfaces.");
        }

        if (!Enum.IsDefined(options.PushTransport))
        {
            failures.Add($"PUSH_TRANSPORT={options.PushTransport} is unknown: use 'observer' or 'stream'.");
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BootstrapHubs))
        {
            failures.Add("BOOTSTRAP_HUBS is set, but hub federation is not supported by this version: leave it empty (see docs/decisions.md).");
        }

        if (!string.IsNullOrWhiteSpace(options.HubToken))
        {
            failures.Add("HUB_TOKEN is set, but inbound hub links are not supported by this version: leave it empty (see docs/decisions.md).");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                failures.Add($"CORS_ORIGIN contains '{origin}', which is not an origin: use '*' or a comma list such as 'https://app.example.com,http://localhost:8080'.");
            }
        }

        return Result(failures);
    }

    private static void Range(List<string> failures, string variable, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
        {
            failures.Add($"{variable}={value} is out of range: use {min} to {max} ({unit}).");
        }
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
