using System.Net;
using System.Text.Json;

namespace PeerPigeon.Tests.Fleet;

/// <summary>HTTP reads of fleet processes that may be down: an answer, or null when there was none.</summary>
public static class FleetHttp
{
    /// <summary>GETs <paramref name="path"/>: the status code and the JSON body; null when nothing (or no JSON) answered.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)?> TryGetJsonAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(text).RootElement);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
