using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookEngine.Execution;

/// <summary>How a notebook run ended.</summary>
public enum NotebookStatus
{
    /// <summary>Every cell ran without error.</summary>
    Passed,

    /// <summary>A cell failed; later cells were not run.</summary>
    Failed,

    /// <summary>A cell ran past the per-cell timeout.</summary>
    Timeout,

    /// <summary>The process running the notebook died.</summary>
    Crashed,
}

/// <summary>Options for a notebook run.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Papermill parameters (<c>-p name=value</c>), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Per-cell time limit (null: none).</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Called before each code cell runs: (1-based index among code cells, count of code cells, document).</summary>
    public Action<int, int, NotebookDocument>? CellStarting { get; init; }

    /// <summary>Make the notebook's folder the process's working directory while it runs (as VS Code does).</summary>
    public bool SetWorkingDirectory { get; init; } = true;

    /// <summary>The NuGet restorer to use (null: default cache).</summary>
    public Packages.PackageRestorer? Restorer { get; init; }
}

/// <summary>The outcome of a notebook run.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Document">The executed notebook (outputs and papermill metadata filled in).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="CodeCells">Number of code cells.</param>
/// <param name="FailedCell">0-based index (among all cells) of the failing cell, if any.</param>
/// <param name="Error">The failing cell's error (name: message), if any.</param>
public sealed record NotebookRunResult(NotebookStatus Status, NotebookDocument Document, TimeSpan Elapsed, int CodeCells, int? FailedCell, string? Error);

/// <summary>
/// Runs a notebook top to bottom in one <see cref="KernelSession"/>, stopping at the first failing
/// cell, and records outputs, execution counts and papermill metadata on each cell.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Executes <paramref name="doc"/> in place; <paramref name="notebookPath"/> sets the working folder.</summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument doc, string notebookPath, NotebookRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NotebookRunOptions();
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var previousDirectory = Directory.GetCurrentDirectory();
        if (options.SetWorkingDirectory)
            Directory.SetCurrentDirectory(folder);
        try
        {
            return await RunInFolderAsync(doc, notebookPath, folder, options, cancellationToken);
        }
        finally
        {
            if (options.SetWorkingDirectory)
                Directory.SetCurrentDirectory(previousDirectory);
        }
    }

    private static async Task<NotebookRunResult> RunInFolderAsync(NotebookDocument doc, string notebookPath, string folder, NotebookRunOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        try
        {
            Parameters.Inject(doc, options.Parameters);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return new NotebookRunResult(NotebookStatus.Failed, doc, clock.Elapsed, doc.Cells.Count(c => c.IsCode), null, $"ParameterError: {e.Message}");
        }
        foreach (var cell in doc.Cells.Where(c => c.IsCode))
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
            cell.Metadata["papermill"] = Papermill(null, null, "pending", false);
        }
        var session = new KernelSession(folder, options.Restorer);
        if (doc.Cells.Any(c => c.IsCode))
            await session.WarmUpAsync(cancellationToken);
        var codeCells = doc.Cells.Count(c => c.IsCode);
        var status = NotebookStatus.Passed;
        int? failedCell = null;
        string? error = null;
        var k = 0;
        for (var i = 0; i < doc.Cells.Count && status == NotebookStatus.Passed; i++)
        {
            var cell = doc.Cells[i];
            if (!cell.IsCode)
                continue;
            k++;
            options.CellStarting?.Invoke(k, codeCells, doc);
            var start = DateTime.UtcNow;
            cell.Metadata["papermill"] = Papermill(start, null, "running", false);
            var kernel = cell.KernelName ?? doc.DefaultKernelName;
            var run = Task.Run(() => session.ExecuteAsync(cell.Source, kernel, cancellationToken), cancellationToken);
            var finished = options.CellTimeout is { } limit
                ? await Task.WhenAny(run, Task.Delay(limit, cancellationToken)) == run
                : await run.ContinueWith(_ => true, TaskScheduler.Default);
            var end = DateTime.UtcNow;
            if (!finished)
            {
                status = NotebookStatus.Timeout;
                failedCell = i;
                error = $"CellTimeoutError: cell {k} did not finish within {options.CellTimeout!.Value.TotalSeconds:0.###} s";
                cell.Outputs.AddRange(session.RunningOutputs.Select(CellOutputs.ForFile));
                cell.Outputs.Add(CellErrors.Output("CellTimeoutError", error["CellTimeoutError: ".Length..], [error]));
                cell.Metadata["papermill"] = Papermill(start, end, "failed", true);
                break;
            }
            var result = await run;
            cell.ExecutionCount = result.ExecutionCount;
            cell.Outputs.AddRange(result.Outputs.Select(CellOutputs.ForFile));
            cell.Metadata["papermill"] = Papermill(start, end, result.Succeeded ? "completed" : "failed", !result.Succeeded);
            cell.Metadata["execution"] = new JsonObject
            {
                ["iopub.execute_input"] = Iso(start),
                ["iopub.status.busy"] = Iso(start),
                ["iopub.status.idle"] = Iso(end),
                ["shell.execute_reply"] = Iso(end),
            };
            if (!result.Succeeded)
            {
                status = NotebookStatus.Failed;
                failedCell = i;
                error = $"{result.ErrorName}: {result.ErrorValue}";
            }
        }
        var ended = DateTime.UtcNow;
        doc.Metadata["papermill"] = new JsonObject
        {
            ["parameters"] = new JsonObject([.. options.Parameters.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]),
            ["input_path"] = notebookPath,
            ["start_time"] = Iso(started),
            ["end_time"] = Iso(ended),
            ["duration"] = (ended - started).TotalSeconds,
            ["exception"] = status != NotebookStatus.Passed,
            ["engine"] = $"NotebookEngine {EngineInfo.Version}",
        };
        return new NotebookRunResult(status, doc, clock.Elapsed, codeCells, failedCell, error);
    }

    /// <summary>The papermill cell metadata object.</summary>
    public static JsonObject Papermill(DateTime? start, DateTime? end, string status, bool exception) => new()
    {
        ["start_time"] = start is { } s ? Iso(s) : null,
        ["end_time"] = end is { } e ? Iso(e) : null,
        ["duration"] = start is { } a && end is { } b ? (b - a).TotalSeconds : null,
        ["status"] = status,
        ["exception"] = exception,
    };

    private static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
