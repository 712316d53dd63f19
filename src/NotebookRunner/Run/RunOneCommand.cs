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
        var events = ConsoleCapture.RealOut;
        var result = await NotebookJob.RunAsync(options.Inputs[0], executed, options, (k, n) =>
        {
            events.WriteLine($"{Marker}cell {k} {n}");
            events.Flush();
        }, checkpoint);
        NotebookFile.WriteAllTextAtomically(resultPath, result.ToJson().ToJsonString());
        events.WriteLine($"{Marker}done {result.Status}");
        events.Flush();
        // A timed-out cell may still be running on another thread: end the process regardless.
        Environment.Exit(0);
        return 0;
    }

    /// <summary>Marks the cell that was running when the child died, in the checkpoint (or source) notebook.</summary>
    public static (NotebookDocument Doc, int? FailedCell) MarkCrash(string source, string? checkpoint, int? runningCell, string message)
    {
        var doc = checkpoint is not null && File.Exists(checkpoint) ? NotebookFile.Load(checkpoint) : NotebookFile.Load(source);
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
        if (doc.Metadata["papermill"] is JsonObject meta)
            meta["exception"] = true;
        return (doc, index >= 0 ? index + 1 : null);
    }
}
