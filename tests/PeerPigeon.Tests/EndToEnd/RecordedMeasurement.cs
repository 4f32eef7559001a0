namespace PeerPigeon.Tests.EndToEnd;

/// <summary>One measurement a <see cref="MetricRecorder"/> saw: its value and its tags.</summary>
public sealed record RecordedMeasurement(double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The tag <paramref name="key"/> as text, or null when absent.</summary>
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value?.ToString() : null;

    public override string ToString() =>
        Tags.Count == 0 ? $"{Value}" : $"{Value} {{{string.Join(", ", Tags.Select(tag => $"{tag.Key}={tag.Value}"))}}}";
}
