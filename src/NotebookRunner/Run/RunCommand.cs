using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary><c>run</c>: executes notebooks (each in its own child process), writes executed copies and a report.</summary>
internal static class RunCommand
{
    public static async Task<int> MainAsync(string[] args)
    {
        var options = RunOptions.Parse(args);
        if (options is null)
            return 2;
        List<(string Source, string Relative)> notebooks;
        try
        {
            notebooks = Discover(options.Inputs);
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
        if (options.Report is not null)
            WriteReport(options.Report, results);
        var passed = results.Count(r => r.Status == "passed");
        Console.WriteLine($"{passed}/{results.Count} notebooks passed; executed copies in {options.Output}");
        if (options.Site is not null)
        {
            // The site shows every notebook of this run, failed ones included (with their error), and this run's results.
            var executed = results.Select(r => r.Output).OfType<string>().Where(File.Exists).ToList();
            var report = new Site.RunReport([.. results.Select(r => new Site.ReportEntry(r.Path, r.Status, r.Seconds, r.Metrics))]);
            var rendered = executed.Count == 0 ? 1 : Site.RenderCommand.Render(() => (executed, report), options.Site);
            if (rendered != 0)
                return rendered;
        }
        return passed == results.Count ? 0 : 1;
    }

    /// <summary>Notebooks named by the arguments, with the relative name their executed copy gets.</summary>
    public static List<(string Source, string Relative)> Discover(IEnumerable<string> inputs)
    {
        var found = new List<(string, string)>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input, "*.*", SearchOption.AllDirectories)
                    .Where(NotebookFile.IsNotebook)
                    .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is ".ipynb_checkpoints" or "bin" or "obj" or "node_modules"))
                    .Order(StringComparer.Ordinal);
                found.AddRange(files.Select(f => (f, Path.GetRelativePath(input, f))));
            }
            else if (File.Exists(input))
                found.Add((input, Path.GetFileName(input)));
            else
                throw new FileNotFoundException($"no such notebook or folder: {input}");
        }
        return found;
    }

    public static string ExecutedPath(string output, string relative) =>
        Path.Combine(output, relative.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? Path.ChangeExtension(relative, ".ipynb") : relative);

    public static async Task<List<JobResult>> RunAllAsync(List<(string Source, string Relative)> notebooks, RunOptions options, Progress progress)
    {
        var results = new JobResult?[notebooks.Count];
        using var gate = new SemaphoreSlim(options.InProcess ? 1 : options.Jobs);
        var tasks = notebooks.Select(async (nb, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var executed = ExecutedPath(options.Output, nb.Relative);
                progress.Started(nb.Relative);
                var result = options.InProcess
                    ? await NotebookJob.RunAsync(nb.Source, executed, options, (k, n) => progress.Cell(nb.Relative, k, n), null)
                    : await RunChildAsync(nb.Source, executed, options, (k, n) => progress.Cell(nb.Relative, k, n));
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

    private static async Task<JobResult> RunChildAsync(string source, string executed, RunOptions options, Action<int, int> cell)
    {
        var work = Path.Combine(Path.GetTempPath(), $"nbrun-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var resultPath = Path.Combine(work, "result.json");
        var checkpoint = Path.Combine(work, "checkpoint.ipynb");
        var clock = Stopwatch.StartNew();
        var start = SelfStartInfo();
        foreach (var a in new[] { RunOneCommand.Name, Path.GetFullPath(source), "--executed", Path.GetFullPath(executed), "--result", resultPath, "--checkpoint", checkpoint })
            start.ArgumentList.Add(a);
        if (options.Timeout is { } t)
        {
            start.ArgumentList.Add("--timeout");
            start.ArgumentList.Add(t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var (name, value) in options.Parameters)
        {
            start.ArgumentList.Add("-p");
            start.ArgumentList.Add($"{name}={value}");
        }
        var tail = new ConcurrentQueue<string>();
        int? running = null;
        void Line(string? line)
        {
            if (line is null)
                return;
            if (line.StartsWith(RunOneCommand.Marker, StringComparison.Ordinal))
            {
                var parts = line[RunOneCommand.Marker.Length..].Split(' ');
                if (parts[0] == "cell" && parts.Length == 3)
                {
                    running = int.Parse(parts[1]);
                    cell(running.Value, int.Parse(parts[2]));
                }
                return;
            }
            tail.Enqueue(line);
            while (tail.Count > 20)
                tail.TryDequeue(out _);
        }
        try
        {
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.WaitForExitAsync();
            if (File.Exists(resultPath))
            {
                var result = JobResult.FromJson(JsonNode.Parse(await File.ReadAllTextAsync(resultPath))!.AsObject());
                return result with { Path = source, Output = executed };
            }
            var message = $"the notebook process crashed (exit code {process.ExitCode}) while running cell {running?.ToString() ?? "?"}";
            var detail = string.Join('\n', tail);
            var (doc, failed) = RunOneCommand.MarkCrash(source, checkpoint, running, detail.Length > 0 ? $"{message}\n{detail}" : message);
            NotebookFile.SaveAtomically(doc, executed);
            var cells = doc.Cells.Count(c => c.IsCode);
            return new JobResult(source, "crashed", clock.Elapsed.TotalSeconds, cells, failed, message, MetricsReader.Read(doc), executed);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
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
