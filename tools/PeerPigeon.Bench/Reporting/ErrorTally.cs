using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace PeerPigeon.Bench.Reporting;

/// <summary>Errors counted by kind (a short message), safe from many threads; the kinds are bounded in number.</summary>
internal sealed class ErrorTally
{
    private const int MaxKinds = 20;
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private long total;

    public long Total => Interlocked.Read(ref total);

    public void Add(string kind)
    {
        Interlocked.Increment(ref total);
        if (kind.Length > 160)
        {
            kind = kind[..160];
        }

        if (counts.Count >= MaxKinds && !counts.ContainsKey(kind))
        {
            kind = "(other)";
        }

        counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void Add(Exception error) => Add($"{error.GetType().Name}: {error.Message}");

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (kind, count) in counts.OrderByDescending(kv => kv.Value))
        {
            json[kind] = count;
        }

        return json;
    }
}
