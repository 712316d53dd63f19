using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookRunner.Run;

/// <summary>One notebook's line in the report.</summary>
internal sealed record JobResult(
    string Path,
    string Status,
    double Seconds,
    int Cells,
    int? FailedCell,
    string? Error,
    Dictionary<string, double> Metrics,
    string Output)
{
    public JsonObject ToJson() => new()
    {
        ["path"] = Path,
        ["status"] = Status,
        ["seconds"] = Math.Round(Seconds, 3),
        ["cells"] = Cells,
        ["failedCell"] = FailedCell,
        ["error"] = Error,
        ["metrics"] = new JsonObject([.. Metrics.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, m.Value))]),
        ["output"] = Output,
    };

    public static JobResult FromJson(JsonObject o) => new(
        o["path"]!.GetValue<string>(),
        o["status"]!.GetValue<string>(),
        o["seconds"]!.GetValue<double>(),
        o["cells"]!.GetValue<int>(),
        o["failedCell"]?.GetValue<int>(),
        o["error"]?.GetValue<string>(),
        (o["metrics"] as JsonObject ?? []).ToDictionary(m => m.Key, m => m.Value!.GetValue<double>()),
        o["output"]!.GetValue<string>());
}

/// <summary>Executes one notebook and writes its executed copy (used in the child process, or in process).</summary>
internal static class NotebookJob
{
    public static async Task<JobResult> RunAsync(string source, string executedPath, RunOptions options, Action<int, int>? cellStarting, string? checkpointPath)
    {
        var doc = NotebookFile.Load(source);
        var run = new NotebookRunOptions
        {
            Parameters = options.Parameters,
            CellTimeout = options.Timeout,
            CellStarting = (k, n, d) =>
            {
                if (checkpointPath is not null)
                    NotebookFile.SaveAtomically(d, checkpointPath);
                cellStarting?.Invoke(k, n);
            },
        };
        var result = await NotebookExecutor.RunAsync(doc, source, run);
        NotebookFile.SaveAtomically(result.Document, executedPath);
        int? failed = result.FailedCell is int i ? result.Document.Cells.Take(i + 1).Count(c => c.IsCode) : null;
        return new JobResult(source, StatusName(result.Status), result.Elapsed.TotalSeconds, result.CodeCells, failed, result.Error,
            Metrics.Collect(result.Document), executedPath);
    }

    public static string StatusName(NotebookStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>Metrics recorded by notebooks (the course library's Metrics.Record): outputs with MIME <see cref="MimeBundle.MetricsMimeType"/>.</summary>
internal static class Metrics
{
    public static Dictionary<string, double> Collect(NotebookDocument doc)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var output in doc.Cells.SelectMany(c => c.Outputs))
        {
            var payload = output["data"]?[MimeBundle.MetricsMimeType];
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
                if (record?["name"] is JsonValue name && record["value"] is JsonValue value
                    && name.TryGetValue(out string? key) && TryNumber(value, out var number))
                    metrics[key] = number;
            }
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
