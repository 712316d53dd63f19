using System.Globalization;
using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary>
/// Reads the metrics a notebook recorded (<c>Metrics.Record</c> in the library) out of its outputs: every output
/// with MIME type <see cref="MetricsFormat.MimeType"/>, whose payload is <c>{"name":…,"value":…}</c> (parsed JSON or
/// JSON text; an array of such records counts as each of them: the scan is <see cref="OutputRecords"/>, shared with
/// <see cref="ExercisesReader"/>). A later record of the same name wins; records without
/// a name or a numeric value are skipped. The one reader of the format: the run's report and the site both use it.
/// </summary>
public static class MetricsReader
{
    /// <summary>The metrics recorded in <paramref name="notebook"/>'s outputs, by name.</summary>
    public static Dictionary<string, double> Read(NotebookDocument notebook)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var record in OutputRecords.Read(notebook, MetricsFormat.MimeType))
        {
            if (record["name"] is JsonValue name && record["value"] is JsonValue value
                && name.TryGetValue(out string? key) && TryNumber(value, out var number))
                metrics[key] = number;
        }
        return metrics;
    }

    private static bool TryNumber(JsonValue value, out double number)
    {
        if (value.TryGetValue(out number))
            return true;
        return value.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
