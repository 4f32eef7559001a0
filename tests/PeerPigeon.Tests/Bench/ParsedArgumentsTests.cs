using PeerPigeon.Bench.Cli;

namespace PeerPigeon.Tests.Bench;

public sealed class ParsedArgumentsTests
{
    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("relay", "-h")]
    [InlineData("help")]
    public void No_arguments_or_a_help_flag_asks_for_help(params string[] args) =>
        Assert.True(ParsedArguments.IsHelp(args));

    [Fact]
    public void Defaults_fill_in_what_is_not_given()
    {
        var parsed = ParsedArguments.Parse(["relay", "--pairs", "7"]);
        Assert.Equal("relay", parsed.Scenario.Name);
        Assert.Equal(7, parsed.Int("pairs", 1, 100));
        Assert.Equal(1024, parsed.Int("size", 0, 1_000_000));
        Assert.Equal(new Uri("ws://127.0.0.1:3000"), parsed.WebSocketUri("url"));
        Assert.Null(parsed.OptionalWebSocketUri("url2"));
        Assert.False(parsed.Flag("quiet"));
    }

    [Fact]
    public void Equals_form_flags_and_repeated_options_are_understood()
    {
        var parsed = ParsedArguments.Parse(["idle", "--connections=20", "--pid", "1", "--pid", "2", "--quiet"]);
        Assert.Equal(20, parsed.Int("connections", 1, 100));
        Assert.Equal(["1", "2"], parsed.Strings("pid"));
        Assert.True(parsed.Flag("quiet"));
    }

    [Theory]
    [InlineData("Unknown scenario 'nope'", "nope")]
    [InlineData("Unknown option --pairs for scenario 'idle'", "idle", "--pairs", "3")]
    [InlineData("Option --url needs a value", "relay", "--url")]
    [InlineData("Option --size given twice", "relay", "--size", "1", "--size", "2")]
    [InlineData("Unexpected argument 'extra'", "relay", "extra")]
    public void Malformed_command_lines_are_refused_with_a_message_naming_the_problem(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => ParsedArguments.Parse(args));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_out_of_range_or_of_the_wrong_kind_name_the_option()
    {
        var parsed = ParsedArguments.Parse(["relay", "--pairs", "abc", "--rate", "-1", "--url", "http://x"]);
        Assert.Contains("--pairs must be an integer", Assert.Throws<UsageException>(() => parsed.Int("pairs", 1, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("--rate must be a number", Assert.Throws<UsageException>(() => parsed.Double("rate", 0, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("ws:// or wss://", Assert.Throws<UsageException>(() => parsed.WebSocketUri("url")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_scenario_and_option_with_its_default()
    {
        var help = HelpText.Render();
        foreach (var scenario in Catalog.Scenarios)
        {
            Assert.Contains(scenario.Name + ": ", help, StringComparison.Ordinal);
            foreach (var option in scenario.Options.Where(o => o.Default is not null))
            {
                Assert.Contains($"[default {option.Default}]", help, StringComparison.Ordinal);
                Assert.Contains("--" + option.Name, help, StringComparison.Ordinal);
            }
        }
    }
}
