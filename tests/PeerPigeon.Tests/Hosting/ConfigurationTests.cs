using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Grains.Hosting;
using PeerPigeon.Silo;

namespace PeerPigeon.Tests.Hosting;

public sealed partial class ConfigurationTests
{
    [Theory]
    [InlineData("PORT", "70000", "PORT=70000 is out of range")]
    [InlineData("MAX_CONNECTIONS", "0", "MAX_CONNECTIONS=0 is out of range")]
    [InlineData("MAX_MESSAGE_SIZE", "10", "MAX_MESSAGE_SIZE=10 is out of range")]
    [InlineData("SEND_QUEUE_BYTES", "1", "SEND_QUEUE_BYTES=1 is out of range")]
    [InlineData("KEEPALIVE_INTERVAL_MS", "0", "KEEPALIVE_INTERVAL_MS=0 is out of range")]
    [InlineData("PEER_TIMEOUT_MS", "-5", "PEER_TIMEOUT_MS=-5 is out of range")]
    [InlineData("MAX_ANNOUNCE_DATA_BYTES", "100000000", "MAX_ANNOUNCE_DATA_BYTES=100000000 is out of range")]
    public void Gateway_settings_out_of_range_name_the_variable_and_the_fix(string key, string value, string expected)
    {
        var options = Bind<GatewayOptions>(key, value);
        var result = new GatewayOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("use ", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CORS_ORIGIN", "example.com", "CORS_ORIGIN contains 'example.com'")]
    [InlineData("CORS_ORIGIN", "https://a.example/path", "CORS_ORIGIN contains 'https://a.example/path'")]
    [InlineData("BOOTSTRAP_HUBS", "ws://hub.example", "BOOTSTRAP_HUBS is set")]
    [InlineData("HUB_TOKEN", "secret", "HUB_TOKEN is set")]
    public void Access_settings_that_cannot_work_are_refused(string key, string value, string expected)
    {
        var result = new GatewayOptionsValidator().Validate(null, Bind<AccessOptions>(key, value));
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_of_origins_is_accepted()
    {
        var options = Bind<AccessOptions>("CORS_ORIGIN", "https://app.example.com, http://localhost:8080");
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["https://app.example.com", "http://localhost:8080"], options.AllowedOrigins);
    }

    [Theory]
    [InlineData("MESSAGE_TTL_MS", "-1", "MESSAGE_TTL_MS=-1 is out of range")]
    [InlineData("MAILBOX_CAPACITY", "0", "MAILBOX_CAPACITY=0 is out of range")]
    [InlineData("MAX_DISCOVERY_PEERS", "-2", "MAX_DISCOVERY_PEERS=-2 is negative")]
    [InlineData("HUB_MESH_NAMESPACE", " ", "HUB_MESH_NAMESPACE is empty")]
    public void Signaling_settings_out_of_range_name_the_variable_and_the_fix(string key, string value, string expected)
    {
        var validator = (IValidateOptions<SignalingOptions>)Activator.CreateInstance(
            typeof(SignalingOptions).Assembly.GetType("PeerPigeon.Grains.Hosting.SignalingOptionsValidator")!)!;
        var result = validator.Validate(null, Bind<SignalingOptions>(key, value));
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_settings_are_read_case_insensitively()
    {
        Assert.Equal(DuplicatePeerPolicy.Replace, Bind<SignalingOptions>("DUPLICATE_PEER_POLICY", "replace").DuplicatePeerPolicy);
        Assert.Equal(PeerPigeon.Push.PushTransport.Stream, Bind<GatewayOptions>("PUSH_TRANSPORT", "STREAM").PushTransport);
    }

    [Fact]
    public void The_readme_configuration_table_lists_every_setting_with_the_default_in_the_code()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var rows = ReadmeRow().Matches(readme).ToDictionary(match => match.Groups["key"].Value, match => match.Groups["default"].Value);

        foreach (var (key, value) in PeerPigeonServer.Settings())
        {
            Assert.True(rows.TryGetValue(key, out var documented), $"README.md's configuration table has no row for {key}");
            Assert.Equal(value.Length == 0 ? "(empty)" : $"`{value}`", documented.Trim());
        }
    }

    [Fact]
    public void The_readme_silo_table_lists_every_silo_only_setting_with_the_default_in_the_code()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var rows = ReadmeRow().Matches(readme).ToDictionary(match => match.Groups["key"].Value, match => match.Groups["default"].Value);
        var gatewayKeys = PeerPigeonServer.Settings().Select(setting => setting.Key).ToHashSet();

        // Shared keys are documented once, in the gateway's table (the silo's other ORLEANS_CLUSTERING default is in its text).
        foreach (var (key, value) in SiloServer.Settings().Where(setting => !gatewayKeys.Contains(setting.Key)))
        {
            Assert.True(rows.TryGetValue(key, out var documented), $"README.md's silo table has no row for {key}");
            Assert.Equal(value.Length == 0 ? "(empty)" : $"`{value}`", documented.Trim());
        }
    }

    [Fact]
    public void Silo_help_lists_every_setting_with_its_default()
    {
        var help = SiloServer.Help();
        foreach (var (key, value) in SiloServer.Settings())
        {
            Assert.Matches($@"\n  {key} +default: {Regex.Escape(value.Length == 0 ? "(empty)" : value)}\r?\n", help);
        }

        Assert.Contains("ORLEANS_CLUSTERING         default: localhost", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_setting_with_its_default()
    {
        var help = PeerPigeonServer.Help();
        foreach (var (key, value) in PeerPigeonServer.Settings())
        {
            Assert.Matches($@"\n  {key} +default: {Regex.Escape(value.Length == 0 ? "(empty)" : value)}\r?\n", help);
        }
    }

    [Fact]
    public async Task An_invalid_setting_stops_the_server_at_start_up_with_exit_code_2_and_a_message_naming_it()
    {
        // tests/PeerPigeon.Tests/bin/<configuration>/net10.0 → src/PeerPigeon.Gateway/bin/<configuration>/net10.0
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var gateway = Path.Combine(RepositoryRoot(), "src", "PeerPigeon.Gateway", "bin", configuration, "net10.0", "PeerPigeon.Gateway.dll");
        var start = new ProcessStartInfo("dotnet", [gateway])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["HOST"] = "127.0.0.1", ["PORT"] = "0", ["MAX_CONNECTIONS"] = "0", ["DUPLICATE_PEER_POLICY"] = "reject" },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("MAX_CONNECTIONS=0 is out of range: use 1 to 10000000", await stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis", "", "REDIS_CONNECTION_STRING is empty but ORLEANS_CLUSTERING=redis")]
    [InlineData("redis", "127.0.0.1:6379,bogusOption=1", "REDIS_CONNECTION_STRING='127.0.0.1:6379,bogusOption=1' is not a Redis configuration string")]
    public void Redis_clustering_without_a_usable_connection_string_names_the_setting(string mode, string redis, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => PeerPigeonServer.Build([], configuration =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ORLEANS_CLUSTERING"] = mode, ["REDIS_CONNECTION_STRING"] = redis })));
        Assert.Contains(expected, string.Join(" ", exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_standalone_silo_refuses_embedded_clustering_naming_the_setting()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => SiloServer.Build(["--ORLEANS_CLUSTERING=embedded"]));
        Assert.Contains("ORLEANS_CLUSTERING=embedded is for the gateway", string.Join(" ", exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_number_names_the_variable()
    {
        var exception = Assert.ThrowsAny<InvalidOperationException>(() =>
            PeerPigeonServer.Build([], configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = "abc" })));
        Assert.Contains("PORT", exception.Message, StringComparison.Ordinal);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PeerPigeon.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root above " + AppContext.BaseDirectory);
    }

    private static T Bind<T>(string key, string value) where T : new()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var options = new T();
        configuration.Bind(options);
        return options;
    }

    [GeneratedRegex(@"^\| `(?<key>[A-Z_]+)` \| (?<default>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
