using System.Globalization;
using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary>
/// Reads the metrics a notebook recorded (<c>Metrics.Record</c> in the library) out of its outputs: every output
/// with MIME type <see cref="MetricsFormat.MimeType"/>, whose payload is <c>{"name":…,"value":…}</c> (parsed JSON or
/// JSON text; an array of such records counts as each of them), optionally with <c>"label"</c>, <c>"text"</c> and
/// <c>"published":[{"id","value","what","source"}…]</c> (rows of a chapter's results table). A later record of the
/// same name wins; records without a name or a numeric value are skipped. The one reader of the format: the run's
/// report and the site both use it; the scan of the outputs is <see cref="OutputRecords"/>, shared with
/// <see cref="ExercisesReader"/>.
/// </summary>
public static class MetricsReader
{
    /// <summary>The metrics recorded in <paramref name="notebook"/>'s outputs, by name.</summary>
    public static Dictionary<string, double> Read(NotebookDocument notebook) =>
        ReadRecords(notebook).ToDictionary(r => r.Name, r => r.Value);

    /// <summary>
    /// The metrics recorded in <paramref name="notebook"/>'s outputs with what they are, in the order they were first
    /// recorded (a later record of the same name replaces the earlier one in its place).
    /// </summary>
    public static IReadOnlyList<RecordedMetric> ReadRecords(NotebookDocument notebook) =>
        OutputRecords.LatestByKey(notebook.Cells.SelectMany(c => c.Outputs).SelectMany(ReadOutput), m => m.Name);

    /// <summary>The metrics one nbformat output records (none when it has no <see cref="MetricsFormat.MimeType"/> data).</summary>
    public static IReadOnlyList<RecordedMetric> ReadOutput(JsonObject output)
    {
        var records = new List<RecordedMetric>();
        foreach (var record in OutputRecords.ReadOutput(output, MetricsFormat.MimeType))
        {
            if (record["name"] is JsonValue name && record["value"] is JsonValue value
                && name.TryGetValue(out string? key) && TryNumber(value, out var number))
                records.Add(new RecordedMetric(key, number, String(record["label"]), String(record["text"]), Anchors(record["published"])));
        }
        return records;
    }

    private static IReadOnlyList<PublishedAnchor> Anchors(JsonNode? published) =>
        published is JsonArray anchors
            ? anchors.OfType<JsonObject>()
                     .Where(a => String(a["id"]) is not null && String(a["value"]) is not null)
                     .Select(a => new PublishedAnchor(String(a["id"])!, String(a["value"])!, String(a["what"]) ?? "", String(a["source"]) ?? ""))
                     .ToList()
            : [];

    private static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool TryNumber(JsonValue value, out double number)
    {
        if (value.TryGetValue(out number))
            return true;
        return value.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
