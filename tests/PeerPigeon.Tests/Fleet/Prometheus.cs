using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace PeerPigeon.Tests.Fleet;

/// <summary>A Prometheus scrape of a fleet process's <c>/metrics</c> (what Prometheus sends: <c>Accept: text/plain</c>).</summary>
public sealed class Prometheus
{
    private Prometheus(HttpStatusCode status, string? mediaType, string text)
    {
        Status = status;
        MediaType = mediaType;
        Text = text;
        Samples = [.. text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.StartsWith('#'))];
    }

    public HttpStatusCode Status { get; }

    public string? MediaType { get; }

    /// <summary>The exposition as received.</summary>
    public string Text { get; }

    /// <summary>The sample lines (not comments).</summary>
    public IReadOnlyList<string> Samples { get; }

    public static async Task<Prometheus> ScrapeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        using var response = await http.SendAsync(request);
        return new Prometheus(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes, or returns null when the process did not answer.</summary>
    public static async Task<Prometheus?> TryScrapeAsync(HttpClient http)
    {
        try
        {
            return await ScrapeAsync(http);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Whether some sample line starts with <paramref name="prefix"/>.</summary>
    public bool HasSeries(string prefix) => Samples.Any(line => line.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain <paramref name="label"/> (e.g. <c>grain_type="peer"</c>).</summary>
    public double Sum(string metric, string label) =>
        Samples.Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>A short summary for failure messages: the series names present.</summary>
    public string Describe() =>
        $"{(int)Status} {MediaType}, {Samples.Count} samples of: {string.Join(", ", Samples.Select(line => line.Split('{', ' ')[0]).Distinct().Take(60))}";
}
