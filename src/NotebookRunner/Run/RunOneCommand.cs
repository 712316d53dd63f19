using System.Text.Json.Nodes;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookRunner.Run;

/// <summary>
/// Hidden subcommand: runs ONE notebook in this process, for <c>run</c>, which starts one such
/// child per notebook so that a native crash takes down only that notebook. Progress goes to
/// stdout as marker lines; the result goes to a JSON file.
/// </summary>
internal static class RunOneCommand
{
    public const string Name = "__run-one";
    public const string Marker = "\u001e@nb ";

    public static async Task<int> MainAsync(string[] args)
    {
        string? executed = null, resultPath = null, checkpoint = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--executed": executed = args[++i]; break;
                case "--result": resultPath = args[++i]; break;
                case "--checkpoint": checkpoint = args[++i]; break;
                default: rest.Add(args[i]); break;
            }
        }
        var options = RunOptions.Parse([.. rest]);
        if (options is null || executed is null || resultPath is null || options.Inputs.Count != 1)
        {
            Console.Error.WriteLine($"{Name}: internal command; usage: {Name} <notebook> --executed FILE --result FILE [--checkpoint FILE] [run options]");
            return 2;
        }
        ConsoleCapture.Install();
        ProcessTree.ExitWhenParentDies();
        var events = ConsoleCapture.RealOut;
        JobResult result;
        try
        {
            result = await NotebookJob.RunAsync(options.Inputs[0], executed, options, (k, n) =>
            {
                events.WriteLine($"{Marker}cell {k} {n}");
                events.Flush();
            }, checkpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            result = JobResult.NotRun(options.Inputs[0], $"RunnerError: {options.Inputs[0]}: {e.GetType().Name}: {e.Message}");
        }
        NotebookFile.WriteAllTextAtomically(resultPath, result.ToJson().ToJsonString());
        events.WriteLine($"{Marker}done {result.Status}");
        events.Flush();
        // Processes the notebook's cells started end with it (the runner does not wait on them), and a timed-out cell
        // may still be running on another thread: end the process regardless.
        ProcessTree.KillDescendants();
        Environment.Exit(0);
        return 0;
    }

    /// <summary>
    /// Marks the cell that was running when the child died, in the checkpoint notebook, or in <paramref name="source"/>
    /// (the document the runner already read; the source file is not read again).
    /// </summary>
    public static (NotebookDocument Doc, int? FailedCell) MarkCrash(NotebookDocument source, string? checkpoint, int? runningCell, string message)
    {
        var doc = source;
        if (checkpoint is not null && File.Exists(checkpoint))
        {
            try
            {
                doc = NotebookFile.Load(checkpoint);
            }
            catch (NotebookFileException)
            {
                // A checkpoint cut short by the crash: fall back to the source as read before the run.
            }
        }
        var codeCells = doc.Cells.Where(c => c.IsCode).ToList();
        var index = codeCells.FindIndex(c => c.Metadata["papermill"]?["status"]?.GetValue<string>() == "running");
        if (index < 0 && runningCell is int k)
            index = k - 1;
        if (index >= 0 && index < codeCells.Count)
        {
            var cell = codeCells[index];
            cell.Outputs.Add(CellErrors.Output("ProcessCrashed", message, message.Split('\n')));
            var papermill = cell.Metadata["papermill"] as JsonObject ?? [];
            papermill["status"] = "failed";
            papermill["exception"] = true;
            papermill["end_time"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
            cell.Metadata["papermill"] = papermill;
        }
        // Stamped as an executed copy, so a later run may replace it (it never replaces a file without this).
        var meta = doc.Metadata["papermill"] as JsonObject ?? [];
        meta["exception"] = true;
        doc.Metadata["papermill"] = meta;
        return (doc, index >= 0 ? index + 1 : null);
    }
}
