namespace PeerPigeon.Bench.Cli;

/// <summary>One command-line option: its name without dashes, its default (null: none) and its help text.</summary>
internal sealed record OptionSpec(string Name, string? Default, string Help, bool Repeatable = false, bool Flag = false);
