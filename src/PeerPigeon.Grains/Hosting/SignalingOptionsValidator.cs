using Microsoft.Extensions.Options;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Rejects <see cref="SignalingOptions"/> that cannot work, naming the setting and the fix.</summary>
internal sealed class SignalingOptionsValidator : IValidateOptions<SignalingOptions>
{
    public ValidateOptionsResult Validate(string? name, SignalingOptions options)
    {
        var failures = new List<string>();
        if (options.MessageTtlMs is < 0 or > 600_000)
        {
            failures.Add($"MESSAGE_TTL_MS={options.MessageTtlMs} is out of range: use 0 (no mailbox) to 600000 milliseconds.");
        }

        if (options.MailboxCapacity is < 1 or > 100_000)
        {
            failures.Add($"MAILBOX_CAPACITY={options.MailboxCapacity} is out of range: use 1 to 100000 messages.");
        }

        if (options.MaxDiscoveryPeers < 0)
        {
            failures.Add($"MAX_DISCOVERY_PEERS={options.MaxDiscoveryPeers} is negative: use 0 (no limit) or a positive count.");
        }

        if (string.IsNullOrWhiteSpace(options.HubMeshNamespace))
        {
            failures.Add("HUB_MESH_NAMESPACE is empty: use a network name such as 'pigeonhub-mesh'.");
        }

        if (!Enum.IsDefined(options.DuplicatePeerPolicy))
        {
            failures.Add($"DUPLICATE_PEER_POLICY={options.DuplicatePeerPolicy} is unknown: use 'reject' or 'replace'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
