using PeerPigeon.Bench.Cli;

namespace PeerPigeon.Bench.Protocol;

/// <summary>The wire protocols --protocol can name.</summary>
internal static class WireProtocols
{
    public static IReadOnlyList<IWireProtocol> All { get; } = [PeerPigeonProtocol.Instance, PeerJsProtocol.Instance];

    /// <summary>The protocol named by --protocol; a name it does not know is a usage error that lists the known ones.</summary>
    public static IWireProtocol FromArguments(ParsedArguments args)
    {
        var name = args.String("protocol") ?? PeerPigeonProtocol.Instance.Name;
        return All.FirstOrDefault(p => p.Name == name) ?? throw new UsageException(
            $"--protocol must be one of {string.Join(", ", All.Select(p => p.Name))}, got '{name}'.");
    }
}
