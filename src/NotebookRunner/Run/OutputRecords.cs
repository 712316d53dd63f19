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
}
