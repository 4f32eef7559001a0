using System.Globalization;

namespace PeerPigeon.Bench.Cli;

/// <summary>
/// A validated command line: the scenario and its option values (defaults filled in). Parse errors throw
/// <see cref="UsageException"/> with a message naming the option and the fix.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> values;

    private ParsedArguments(ScenarioSpec scenario, Dictionary<string, List<string>> values)
    {
        Scenario = scenario;
        this.values = values;
    }

    public ScenarioSpec Scenario { get; }

    /// <summary>True when the command line asks for help (<c>--help</c>, <c>-h</c>, <c>help</c> or nothing at all).</summary>
    public static bool IsHelp(IReadOnlyList<string> args) =>
        args.Count == 0 || args.Any(a => a is "--help" or "-h" or "help");

    public static ParsedArguments Parse(IReadOnlyList<string> args)
    {
        var scenario = Catalog.Find(args[0]) ?? throw new UsageException(
            $"Unknown scenario '{args[0]}'. Scenarios: {string.Join(", ", Catalog.Scenarios.Select(s => s.Name))} (see --help).");
        var given = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"Unexpected argument '{arg}': options look like --name value (see --help).");
            }

            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            var spec = scenario.Find(name) ?? throw new UsageException(
                $"Unknown option --{name} for scenario '{scenario.Name}'; it accepts {string.Join(", ", scenario.Options.Select(o => "--" + o.Name))}.");
            string value;
            if (spec.Flag)
            {
                value = inline ?? "true";
            }
            else if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"Option --{name} needs a value.");
            }

            if (given.TryGetValue(name, out var list))
            {
                if (!spec.Repeatable)
                {
                    throw new UsageException($"Option --{name} given twice; it takes one value.");
                }

                list.Add(value);
            }
            else
            {
                given[name] = [value];
            }
        }

        foreach (var spec in scenario.Options.Where(o => o.Default is not null && !given.ContainsKey(o.Name)))
        {
            given[spec.Name] = [spec.Default!];
        }

        return new ParsedArguments(scenario, given);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public bool Flag(string name) => values.TryGetValue(name, out var v) && v[^1] is not "false";

    public string? String(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Strings(string name) => values.TryGetValue(name, out var v) ? v : [];

    public int Int(string name, int min, int max)
    {
        var text = Required(name);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be an integer from {min} to {max}, got '{text}'.");
        }

        return value;
    }

    public double Double(string name, double min, double max)
    {
        var text = Required(name);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw new UsageException($"--{name} must be a number from {min} to {max}, got '{text}'.");
        }

        return value;
    }

    public TimeSpan Seconds(string name, double min, double max) => TimeSpan.FromSeconds(Double(name, min, max));

    public Uri? OptionalWebSocketUri(string name) => Has(name) ? WebSocketUri(name) : null;

    public Uri WebSocketUri(string name)
    {
        var text = Required(name);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
        {
            throw new UsageException($"--{name} must be a ws:// or wss:// URL such as ws://127.0.0.1:3000, got '{text}'.");
        }

        return uri;
    }

    /// <summary>Every option value, for the parameters section of the result.</summary>
    public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> All() =>
        values.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValuePair<string, IReadOnlyList<string>>(kv.Key, kv.Value));

    private string Required(string name) =>
        String(name) ?? throw new UsageException($"Option --{name} is required for scenario '{Scenario.Name}'.");
}
