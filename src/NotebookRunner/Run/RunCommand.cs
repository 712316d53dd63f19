using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary><c>run</c>: executes notebooks (each in its own child process), writes executed copies and a report.</summary>
internal static class RunCommand
{
    /// <summary>Prefix of the per-notebook work folders in the temporary folder (<c>nbrun-PID-GUID</c>).</summary>
    public const string WorkPrefix = "nbrun-";

    public static async Task<int> MainAsync(string[] args)
    {
        var options = RunOptions.Parse(args);
        if (options is null)
            return 2;
        RemoveStaleWork(options.Output);
        // An unwritable report or site would lose the whole run's results: say so before anything runs.
        foreach (var (what, path, isFolder) in new[] { ("report", options.Report, false), ("site", options.Site, true) })
        {
            if (path is not null && Unwritable(isFolder ? Path.GetFullPath(path) : Path.GetDirectoryName(Path.GetFullPath(path))!) is { } why)
            {
                Console.Error.WriteLine($"run: cannot write the {what} to {path}: {why}; nothing was run");
                return 2;
            }
        }
        if (options.Solutions is not null && !Directory.Exists(options.Solutions))
        {
            Console.Error.WriteLine($"run: --solutions {options.Solutions} is not a folder; nothing was run");
            return 2;
        }
        List<(string Source, string Relative)> notebooks;
        try
        {
            notebooks = Discover(options.Inputs, options.Output);
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"run: {e.Message}");
            return 2;
        }
        if (notebooks.Count == 0)
        {
            Console.Error.WriteLine("run: no .ipynb or .dib notebooks found");
            return 2;
        }
        var results = await RunAllAsync(notebooks, options, new Progress(notebooks.Count));
        var exit = results.All(r => r.Status == "passed") ? 0 : 1;
        if (options.Report is not null)
        {
            try
            {
                WriteReport(options.Report, results);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"run: the report could not be written to {options.Report}: {e.Message}");
                exit = 1;
            }
        }
        var passed = results.Count(r => r.Status == "passed");
        Console.WriteLine($"{passed}/{results.Count} notebooks passed; executed copies in {options.Output}");
        if (options.Site is not null)
        {
            // The site shows every notebook of this run, failed ones included (with their error; those without an
            // executed copy as a row of the report), and this run's results.
            var executed = results.Select(r => r.Output).OfType<string>().Where(File.Exists).ToList();
            var report = new Site.RunReport([.. results.Select(r => new Site.ReportEntry(r.Path, r.Status, r.Seconds, r.Metrics))]);
            var rendered = Site.RenderCommand.Render(() => (executed, report), options.Site);
            if (rendered != 0)
                return rendered;
        }
        return exit;
    }

    /// <summary>
    /// Notebooks named by the arguments, with the relative name their executed copy gets. Folders are walked once each
    /// (a symbolic link back to a folder already walked is not followed again), skipping <c>.ipynb_checkpoints</c>,
    /// <c>bin</c>, <c>obj</c>, <c>node_modules</c> and the <paramref name="output"/> folder (executed copies are not sources).
    /// A file argument is kept even when it cannot be read (it is then reported, not run).
    /// </summary>
    public static List<(string Source, string Relative)> Discover(IEnumerable<string> inputs, string? output = null)
    {
        var found = new List<(string, string)>();
        var outputFull = output is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        foreach (var input in inputs)
        {
            var info = PathInspector.Inspect(input);
            if (info.Kind == PathKind.Directory)
            {
                var visited = new HashSet<(ulong, ulong)>();
                var files = new List<string>();
                Walk(input, visited, outputFull, files, depth: 0);
                found.AddRange(files.Order(StringComparer.Ordinal).Select(f => (f, Path.GetRelativePath(input, f))));
            }
            else if (info.Kind == PathKind.Missing && info.LinkTarget is null)
                throw new FileNotFoundException($"no such notebook or folder: {input}");
            else
                found.Add((input, Path.GetFileName(input)));
        }
        return found;
    }

    private static void Walk(string folder, HashSet<(ulong, ulong)> visited, string? output, List<string> files, int depth)
    {
        var info = PathInspector.Inspect(folder);
        if (info.Identity is { } id && !visited.Add(id) || depth > 64)
            return;
        if (output is not null && Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) == output && depth > 0)
            return;
        IEnumerable<string> entries;
        try
        {
            entries = [.. Directory.EnumerateFileSystemEntries(folder)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var entry in entries.Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (name is ".ipynb_checkpoints" or "bin" or "obj" or "node_modules")
                continue;
            if (NotebookFile.IsNotebook(entry))
            {
                // A FIFO, a dangling link or a folder named *.ipynb is listed too: it is reported, not silently skipped.
                if (PathInspector.Inspect(entry).Kind != PathKind.Directory)
                {
                    files.Add(entry);
                    continue;
                }
            }
            if (PathInspector.Inspect(entry).Kind == PathKind.Directory)
                Walk(entry, visited, output, files, depth + 1);
        }
    }

    /// <summary>Where a notebook's executed copy goes; in a <c>--solutions</c> run it is named <c>NN-x.solved.ipynb</c>.</summary>
    public static string ExecutedPath(string output, string relative, bool solved = false) =>
        Path.Combine(output, solved ? Solutions.ExecutedName(relative)
            : relative.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? Path.ChangeExtension(relative, ".ipynb") : relative);

    /// <summary>One notebook of a run: where its copy goes, and either its document (read once, here) or why it does not run.</summary>
    internal sealed record PlannedNotebook(string Source, string Relative, string Executed, NotebookDocument? Document, string? Error);

    /// <summary>
    /// Checks every notebook before anything runs: it can be read (the document is kept: a crash later is marked on it,
    /// the source is not read again), its executed copy lands on no source and on no file that is not an executed copy,
    /// no two inputs share one executed copy, and the copy's folder is writable. A notebook that fails a check gets an
    /// error naming it and the cause; the others are unaffected. With <paramref name="solutions"/>, the kept document
    /// has its exercises solved (<see cref="Solutions.Apply"/>), and a notebook whose solutions do not match fails here.
    /// </summary>
    public static List<PlannedNotebook> Plan(List<(string Source, string Relative)> notebooks, string output, string? solutions = null)
    {
        var sourceIds = new HashSet<(ulong, ulong)>();
        var sourcePaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, _) in notebooks)
        {
            sourcePaths.Add(Path.GetFullPath(source));
            if (PathInspector.Inspect(source).Identity is { } id)
                sourceIds.Add(id);
        }
        var byExecuted = notebooks.Select(n => (n.Source, n.Relative, Executed: ExecutedPath(output, n.Relative, solutions is not null)))
            .GroupBy(n => Path.GetFullPath(n.Executed), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(n => n.Source).ToList());
        var writable = new Dictionary<string, string?>(StringComparer.Ordinal);
        var plan = new List<PlannedNotebook>();
        foreach (var (source, relative) in notebooks)
        {
            var executed = ExecutedPath(output, relative, solutions is not null);
            var full = Path.GetFullPath(executed);
            string? error = null;
            NotebookDocument? doc = null;
            try
            {
                doc = NotebookFile.Load(source);
            }
            catch (NotebookFileException e)
            {
                error = $"NotebookFileError: {e.Message}";
            }
            if (error is null && solutions is not null)
                error = Solutions.Apply(doc!, source, solutions);
            if (error is null && byExecuted[full].Count > 1)
            {
                error = $"OutputConflict: {string.Join(" and ", byExecuted[full])} would both be written to {executed}; "
                    + "rename one of them or run them separately";
            }
            error ??= WouldOverwriteSource(source, executed, full, sourceIds, sourcePaths);
            if (error is null)
            {
                var folder = Path.GetDirectoryName(full)!;
                if (!writable.TryGetValue(folder, out var why))
                    writable[folder] = why = Unwritable(folder);
                if (why is not null)
                    error = $"OutputError: {source}: the executed copy cannot be written to {executed}: {why}";
            }
            plan.Add(new PlannedNotebook(source, relative, executed, error is null ? doc : null, error));
        }
        return plan;
    }

    private static string? WouldOverwriteSource(string source, string executed, string full, HashSet<(ulong, ulong)> sourceIds, HashSet<string> sourcePaths)
    {
        var target = PathInspector.Inspect(executed);
        if (sourcePaths.Contains(full) || target.Identity is { } id && sourceIds.Contains(id))
            return $"OutputConflict: {source}: its executed copy {executed} would overwrite a source notebook of this run; choose another --output";
        switch (target.Kind)
        {
            case PathKind.Missing:
                return null;
            case PathKind.File:
                try
                {
                    var existing = NotebookFile.Load(executed);
                    if (existing.Metadata["papermill"] is System.Text.Json.Nodes.JsonObject)
                        return null;
                }
                catch (NotebookFileException)
                {
                }
                return $"OutputConflict: {source}: {executed} exists and is not an executed copy (no papermill metadata); "
                    + "it is not replaced: choose another --output or remove it";
            default:
                return $"OutputConflict: {source}: {executed} exists and {NotebookFile.Unreadable(executed) ?? "is not a regular file"}; it is not replaced";
        }
    }

    /// <summary>Why files cannot be created in <paramref name="folder"/> (creating it if needed), or null when they can.</summary>
    public static string? Unwritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".nbrun-probe.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }

    /// <summary>Removes what killed runs left: <c>nbrun-*</c> work folders of processes no longer running, and half-written temporary copies under <paramref name="output"/>.</summary>
    public static void RemoveStaleWork(string output)
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), WorkPrefix + "*"))
            {
                var parts = Path.GetFileName(dir)[WorkPrefix.Length..].Split('-');
                if (parts.Length == 2 && int.TryParse(parts[0], out var pid) && !NotebookFile.ProcessIsRunning(pid))
                {
                    try
                    {
                        Directory.Delete(dir, recursive: true);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        NotebookFile.RemoveStaleTemporaryFiles(output);
    }

    public static async Task<List<JobResult>> RunAllAsync(List<(string Source, string Relative)> notebooks, RunOptions options, Progress progress)
    {
        var plan = Plan(notebooks, options.Output, options.Solutions);
        var results = new JobResult?[plan.Count];
        using var gate = new SemaphoreSlim(options.InProcess ? 1 : options.Jobs);
        var tasks = plan.Select(async (nb, i) =>
        {
            if (nb.Error is not null)
            {
                results[i] = JobResult.NotRun(nb.Source, nb.Error);
                progress.Started(nb.Relative);
                progress.Finished(nb.Relative, results[i]!);
                return;
            }
            await gate.WaitAsync();
            try
            {
                progress.Started(nb.Relative);
                JobResult result;
                try
                {
                    result = options.InProcess
                        ? await NotebookJob.RunAsync(nb.Source, nb.Executed, options, (k, n) => progress.Cell(nb.Relative, k, n), null)
                        : await RunChildAsync(nb, options, (k, n) => progress.Cell(nb.Relative, k, n));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One notebook's trouble never ends the run.
                    result = JobResult.NotRun(nb.Source, $"RunnerError: {nb.Source}: {e.GetType().Name}: {e.Message}");
                }
                progress.Finished(nb.Relative, result);
                results[i] = result;
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        progress.Done();
        return [.. results.Select(r => r!)];
    }

    private static async Task<JobResult> RunChildAsync(PlannedNotebook nb, RunOptions options, Action<int, int> cell)
    {
        var (source, executed) = (nb.Source, nb.Executed);
        var work = Path.Combine(Path.GetTempPath(), $"{WorkPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var resultPath = Path.Combine(work, "result.json");
        var checkpoint = Path.Combine(work, "checkpoint.ipynb");
        var clock = Stopwatch.StartNew();
        var start = SelfStartInfo();
        start.RedirectStandardInput = true;
        foreach (var a in new[] { RunOneCommand.Name, Path.GetFullPath(source), "--executed", Path.GetFullPath(executed), "--result", resultPath, "--checkpoint", checkpoint })
            start.ArgumentList.Add(a);
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add((options.Timeout?.TotalSeconds ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (options.Solutions is not null)
        {
            start.ArgumentList.Add("--solutions");
            start.ArgumentList.Add(Path.GetFullPath(options.Solutions));
        }
        foreach (var (name, value) in options.Parameters)
        {
            start.ArgumentList.Add("-p");
            start.ArgumentList.Add($"{name}={value}");
        }
        var tail = new ConcurrentQueue<string>();
        string? fatal = null; // the runtime's first line about why the process died ("Stack overflow.", "Unhandled exception. ..."), kept even when thousands of frames follow
        int? running = null;
        var lastSign = Stopwatch.StartNew();
        void Line(string line)
        {
            if (line.StartsWith(RunOneCommand.Marker, StringComparison.Ordinal))
            {
                lastSign.Restart();
                var parts = line[RunOneCommand.Marker.Length..].Split(' ');
                if (parts[0] == "cell" && parts.Length == 3 && int.TryParse(parts[1], out var k) && int.TryParse(parts[2], out var n))
                {
                    running = k;
                    cell(k, n);
                }
                return;
            }
            if (fatal is null && (line.StartsWith("Stack overflow", StringComparison.Ordinal) || line.StartsWith("Unhandled exception", StringComparison.Ordinal)
                || line.StartsWith("Process terminated", StringComparison.Ordinal) || line.StartsWith("Fatal error", StringComparison.Ordinal)))
                fatal = line.Trim();
            tail.Enqueue(line);
            while (tail.Count > 20)
                tail.TryDequeue(out _);
        }
        async Task Pump(StreamReader reader)
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                    Line(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }
        try
        {
            using var process = new Process { StartInfo = start };
            process.Start();
            // Cells get no input: stdin is closed at once (Console.ReadLine returns null instead of waiting).
            process.StandardInput.Close();
            var pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
            var exited = process.WaitForExitAsync();
            // The child enforces the per-cell limit itself; this is the backstop for a child that stops reporting.
            var stall = options.Timeout is { } t ? t + TimeSpan.FromMinutes(2) : (TimeSpan?)null;
            string? killed = null;
            while (await Task.WhenAny(exited, Task.Delay(1000)) != exited)
            {
                if (stall is { } limit && lastSign.Elapsed > limit)
                {
                    killed = $"the notebook process stopped responding for {limit.TotalSeconds:0} s and was killed";
                    process.Kill(entireProcessTree: true);
                }
            }
            // A process a cell started may still hold the output pipes: read what is there, never wait on it.
            await Task.WhenAny(pumps, Task.Delay(2000));
            if (killed is null && File.Exists(resultPath))
            {
                var result = JobResult.FromJson(JsonNode.Parse(await File.ReadAllTextAsync(resultPath))!.AsObject());
                return result with { Path = source, Output = result.Output is null ? null : executed };
            }
            var message = killed ?? $"the notebook process crashed (exit code {process.ExitCode}) while running cell {running?.ToString() ?? "?"}"
                + (fatal is null ? "" : $": {fatal}");
            var detail = string.Join('\n', tail);
            var (doc, failed) = RunOneCommand.MarkCrash(nb.Document!, checkpoint, running, detail.Length > 0 ? $"{message}\n{detail}" : message);
            var cells = doc.Cells.Count(c => c.IsCode);
            var crashed = new JobResult(source, "crashed", clock.Elapsed.TotalSeconds, cells, failed, message, MetricsReader.Read(doc), executed, ExercisesReader.Read(doc));
            return NotebookJob.SaveExecuted(crashed, doc, executed);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>A start info that re-invokes this program (the apphost, or <c>dotnet NotebookRunner.dll</c>).</summary>
    public static ProcessStartInfo SelfStartInfo()
    {
        var dll = typeof(RunCommand).Assembly.Location;
        var host = Environment.ProcessPath;
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "NotebookRunner")
            start.FileName = host;
        else
        {
            start.FileName = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            start.ArgumentList.Add(dll);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Cells run on worker threads: one malloc heap for all threads, or the setup cell's allocator tuning misses them.
        DeepLearning.Course.Platform.NativeAllocator.AddStartupEnvironment(start.Environment);
        return start;
    }

    public static void WriteReport(string path, IReadOnlyList<JobResult> results)
    {
        var report = new JsonObject
        {
            ["notebooks"] = new JsonArray([.. results.Select(r => (JsonNode)r.ToJson())]),
            ["passed"] = results.Count(r => r.Status == "passed"),
            ["failed"] = results.Count(r => r.Status != "passed"),
        };
        NotebookFile.WriteAllTextAtomically(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
