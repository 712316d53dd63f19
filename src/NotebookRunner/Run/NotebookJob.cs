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
    string? Output,
    IReadOnlyList<ExerciseRecord> Exercises)
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
        ["exercises"] = new JsonArray([.. Exercises.Select(e => (JsonNode)e.ToJson())]),
    };

    public static JobResult FromJson(JsonObject o) => new(
        o["path"]!.GetValue<string>(),
        o["status"]!.GetValue<string>(),
        o["seconds"]!.GetValue<double>(),
        o["cells"]!.GetValue<int>(),
        o["failedCell"]?.GetValue<int>(),
        o["error"]?.GetValue<string>(),
        (o["metrics"] as JsonObject ?? []).ToDictionary(m => m.Key, m => m.Value!.GetValue<double>()),
        o["output"]?.GetValue<string>(),
        [.. (o["exercises"] as JsonArray ?? []).Select(ExerciseRecord.FromJson).OfType<ExerciseRecord>()]);

    /// <summary>A notebook that did not run: status <c>failed</c>, no cells run, no executed copy; the error names the file and the cause.</summary>
    public static JobResult NotRun(string path, string error) => new(path, "failed", 0, 0, null, error, [], null, []);
}

/// <summary>Executes one notebook and writes its executed copy (used in the child process, or in process).</summary>
internal static class NotebookJob
{
    public static async Task<JobResult> RunAsync(string source, string executedPath, RunOptions options, Action<int, int>? cellStarting, string? checkpointPath)
    {
        NotebookDocument doc;
        try
        {
            doc = NotebookFile.Load(source);
        }
        catch (NotebookFileException e)
        {
            return JobResult.NotRun(source, $"NotebookFileError: {e.Message}");
        }
        if (options.Solutions is not null && Solutions.Apply(doc, source, options.Solutions) is { } unsolvable)
            return JobResult.NotRun(source, unsolvable);
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
        int? failed = result.FailedCell is int i ? result.Document.Cells.Take(i + 1).Count(c => c.IsCode) : null;
        var job = new JobResult(source, StatusName(result.Status), result.Elapsed.TotalSeconds, result.CodeCells, failed, result.Error,
            MetricsReader.Read(result.Document), executedPath, ExercisesReader.Read(result.Document));
        return SaveExecuted(job, result.Document, executedPath);
    }

    /// <summary>Writes the executed copy; when that fails the notebook is reported failed with why, and nothing is retried.</summary>
    public static JobResult SaveExecuted(JobResult job, NotebookDocument executed, string executedPath)
    {
        // Every executed copy carries papermill metadata: it is how a later run knows the file is a copy it may replace.
        if (executed.Metadata["papermill"] is not JsonObject)
            executed.Metadata["papermill"] = new JsonObject { ["input_path"] = job.Path, ["exception"] = job.Status != "passed" };
        try
        {
            NotebookFile.SaveAtomically(executed, executedPath);
            return job;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var error = $"OutputError: the executed copy could not be written to {executedPath}: {e.Message}";
            return job with { Status = job.Status == "passed" ? "failed" : job.Status, Error = job.Error is null ? error : $"{job.Error}\n{error}", Output = null };
        }
    }

    public static string StatusName(NotebookStatus status) => status.ToString().ToLowerInvariant();
}
