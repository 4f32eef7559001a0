namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// The fleet tests run one at a time and alone: each starts real processes, and some measure delivery gaps and
/// departure times that other tests competing for the same cores would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneFleetAtATime
{
    public const string Name = "Fleet";
}
