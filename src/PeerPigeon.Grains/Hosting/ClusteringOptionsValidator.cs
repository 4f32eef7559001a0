using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Rejects cluster settings that cannot work, naming the variable and the fix.</summary>
public sealed class ClusteringOptionsValidator : IValidateOptions<ClusteringOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusteringOptions options)
    {
        var failures = Validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The problems with <paramref name="options"/>, one sentence each.</summary>
    public static IEnumerable<string> Validate(ClusteringOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            yield return $"ORLEANS_CLUSTERING={options.Mode} is unknown: use 'embedded', 'localhost' or 'redis'.";
        }

        if (options.Mode == ClusteringMode.Redis)
        {
            if (string.IsNullOrWhiteSpace(options.RedisConnectionString))
            {
                yield return "REDIS_CONNECTION_STRING is empty but ORLEANS_CLUSTERING=redis: set it to the Redis server, e.g. 127.0.0.1:6379.";
            }
            else if (ParseRedis(options.RedisConnectionString) is { } error)
            {
                yield return $"REDIS_CONNECTION_STRING='{options.RedisConnectionString}' is not a Redis configuration string ({error}): use host:port[,option=value...].";
            }
        }

        foreach (var (variable, value) in new[] { ("ORLEANS_CLUSTER_ID", options.ClusterId), ("ORLEANS_SERVICE_ID", options.ServiceId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
            {
                yield return $"{variable}='{value}' must be a non-empty name without spaces, e.g. peerpigeon.";
            }
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            yield return $"ORLEANS_GATEWAY_PORT={options.GatewayPort} is out of range: use 1 to 65535 (a TCP port).";
        }
    }

    private static string? ParseRedis(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "no host:port" : null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }
}
