namespace PeerPigeon.Bench.Cli;

/// <summary>A scenario's name, one-line description and the options it accepts.</summary>
internal sealed record ScenarioSpec(string Name, string Summary, IReadOnlyList<OptionSpec> Options)
{
    public OptionSpec? Find(string name) => Options.FirstOrDefault(o => o.Name == name);
}
