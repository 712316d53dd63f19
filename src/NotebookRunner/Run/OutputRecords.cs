using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary>
/// The one scan of a notebook's outputs for the course's JSON records (<see cref="MetricsReader"/> and
/// <see cref="ExercisesReader"/> both read through it): every output whose <c>data</c> has the given MIME type, its
/// payload parsed JSON or JSON text (text that is not JSON is skipped), an array counting as each of its elements,
/// in the order the outputs appear.
/// </summary>
internal static class OutputRecords
{
    public static IEnumerable<JsonNode> Read(NotebookDocument notebook, string mimeType) =>
        notebook.Cells.SelectMany(c => c.Outputs).SelectMany(output => ReadOutput(output, mimeType));

    /// <summary>The records one nbformat output carries under <paramref name="mimeType"/> (none when it has no such data).</summary>
    public static IEnumerable<JsonNode> ReadOutput(JsonObject output, string mimeType)
    {
        var payload = output["data"]?[mimeType];
        if (payload is JsonValue v && v.TryGetValue(out string? text))
        {
            try
            {
                payload = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                yield break;
            }
        }
        foreach (var record in payload is JsonArray many ? [.. many] : new[] { payload })
        {
            if (record is not null)
                yield return record;
        }
    }

    /// <summary>
    /// The records in the order their key first appeared, a later record of the same key replacing the earlier one in
    /// its place: how a notebook's re-recorded metric or re-checked exercise is reported (the last value wins).
    /// </summary>
    public static List<T> LatestByKey<T>(IEnumerable<T> records, Func<T, string> key)
    {
        var latest = new List<T>();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (at.TryGetValue(key(record), out var index)) latest[index] = record;
            else
            {
                at[key(record)] = latest.Count;
                latest.Add(record);
            }
        }
        return latest;
    }
}
