using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace PeerPigeon.Grains.Hosting;

/// <summary>Lists a process's settings with their defaults, read from its options classes (the source of <c>--help</c>).</summary>
public static class SettingsCatalog
{
    /// <summary>Every configuration key of <paramref name="defaults"/> (options instances holding the defaults), each key once.</summary>
    public static IEnumerable<(string Key, string Default)> Settings(params object[] defaults) =>
        (from instance in defaults
         from property in instance.GetType().GetProperties()
         let key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name
         where key is not null
         select (key, Format(property.GetValue(instance)))).DistinctBy(setting => setting.key);

    /// <summary>The <c>--help</c> text: <paramref name="title"/>, a usage line, then every setting with its default.</summary>
    public static string Help(string title, string usage, string footer, params object[] defaults)
    {
        var text = new StringBuilder();
        text.AppendLine(title);
        text.AppendLine();
        text.AppendLine($"Usage: {usage}");
        text.AppendLine("Settings come from environment variables, appsettings.json or --KEY=value arguments:");
        text.AppendLine();
        foreach (var (key, value) in Settings(defaults))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {key,-26} default: {(value.Length == 0 ? "(empty)" : value)}");
        }

        text.AppendLine();
        text.AppendLine(footer);
        return text.ToString();
    }

    /// <summary>Whether the arguments ask for help.</summary>
    public static bool WantsHelp(string[] args) => args.Any(arg => arg is "--help" or "-h" or "-?");

    private static string Format(object? value) => value switch
    {
        bool flag => flag ? "true" : "false",
        Enum option => option.ToString().ToLowerInvariant(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
