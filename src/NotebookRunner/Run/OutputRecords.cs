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
    public static IEnumerable<JsonNode> Read(NotebookDocument notebook, string mimeType)
    {
        foreach (var output in notebook.Cells.SelectMany(c => c.Outputs))
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
                    continue;
                }
            }
            foreach (var record in payload is JsonArray many ? [.. many] : new[] { payload })
            {
                if (record is not null)
                    yield return record;
            }
        }
    }
}
