namespace PeerPigeon.Bench.Cli;

/// <summary>A command line that cannot be run; the message says what was wrong and how to fix it.</summary>
internal sealed class UsageException(string message) : Exception(message);
