using System.Text;

namespace PeerPigeon.Bench.Cli;

/// <summary>The --help text, generated from the <see cref="Catalog"/> so that it lists every option with its default.</summary>
internal static class HelpText
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("PeerPigeon.Bench: load generator speaking the PeerPigeon signaling protocol.");
        text.AppendLine();
        text.AppendLine("Usage: PeerPigeon.Bench <scenario> [--option value]...   (also --option=value)");
        text.AppendLine("Exit codes: 0 done, 1 failed (errors, loss), 2 bad command line, 3 timed out (partial result).");
        foreach (var scenario in Catalog.Scenarios)
        {
            text.AppendLine();
            text.Append(scenario.Name).Append(": ").AppendLine(scenario.Summary);
            foreach (var option in scenario.Options)
            {
                var left = option.Flag ? "--" + option.Name : $"--{option.Name} <v>";
                var suffix = option.Default is null ? "" : $" [default {option.Default}]";
                text.Append("  ").Append(left.PadRight(26)).Append(option.Help).AppendLine(suffix);
            }
        }

        return text.ToString();
    }
}
