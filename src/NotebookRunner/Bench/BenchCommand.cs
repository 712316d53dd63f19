using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookEngine.Documents;
using NotebookEngine.Execution;
using NotebookRunner.Run;

namespace NotebookRunner.Bench;

/// <summary>
/// <c>bench</c>: cold start to first cell result in a fresh process (packages cached), median
/// overhead of a trivial cell after warm-up, and the cached restore time of TorchSharp-cpu.
/// Prints a table and writes artifacts/bench/engine.json.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> MainAsync(string[] args)
    {
        var output = args.Length >= 2 && args[0] == "--output" ? args[1] : Path.Combine("artifacts", "bench", "engine.json");
        var work = Path.Combine(Path.GetTempPath(), $"nbbench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var rows = new List<(string Name, double Value, string Unit, string Goal)>();

            // 1. Cold start: a fresh process runs a one-cell notebook (median of 3).
            var trivial = Path.Combine(work, "one-cell.ipynb");
            WriteNotebook(trivial, "1 + 1");
            var cold = new List<double>();
            for (var i = 0; i < 3; i++)
                cold.Add(await TimeChildAsync(trivial, work));
            rows.Add(("cold start to first cell result (fresh process, 1 cell)", Median(cold), "s", "<= 3 s"));

            var torch = Path.Combine(work, "torch.ipynb");
            WriteNotebook(torch, "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nTorchSharp.torch.ones(2).sum().item<float>()");
            await TimeChildAsync(torch, work); // fills the restore cache
            rows.Add(("cold start, #r TorchSharp-cpu + tensor op (cached)", await TimeChildAsync(torch, work), "s", ""));

            // 2. Per-cell overhead after warm-up, in process.
            var session = new KernelSession(work);
            for (var i = 0; i < 10; i++)
                await session.ExecuteAsync($"var w{i} = {i};\nw{i}");
            var times = new List<double>();
            var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            const int cells = 60;
            for (var i = 0; i < cells; i++)
            {
                var clock = Stopwatch.StartNew();
                await session.ExecuteAsync($"var x{i} = {i};\nx{i}");
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            self.Refresh();
            rows.Add(("median per trivial cell after warm-up (wall)", Median(times), "ms", "<= 30 ms"));
            rows.Add(("fastest trivial cell after warm-up (wall)", times.Min(), "ms", ""));
            rows.Add(("CPU time per trivial cell, all threads", (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / cells, "ms", ""));

            // 3. Cached restore of TorchSharp-cpu in a new session.
            var restoreSession = new KernelSession(work);
            var restoreClock = Stopwatch.StartNew();
            var restoreCell = await restoreSession.ExecuteAsync("#r \"nuget: TorchSharp-cpu, 0.107.0\"");
            var cellSeconds = restoreClock.Elapsed.TotalSeconds;
            var restore = restoreSession.LastRestore;
            rows.Add(("cached restore of TorchSharp-cpu 0.107.0 (restore only)", restore?.Elapsed.TotalSeconds ?? double.NaN, "s", restore?.FromCache == true ? "(cache hit)" : "(cache miss)"));
            rows.Add(("cell `#r \"nuget: TorchSharp-cpu, 0.107.0\"` (cached)", cellSeconds, "s", restoreCell.Succeeded ? "" : "FAILED"));

            Console.WriteLine($"{"measure",-58} {"value",10}  goal");
            foreach (var (name, value, unit, goal) in rows)
                Console.WriteLine($"{name,-58} {value,8:0.000} {unit,-2}  {goal}");
            var json = new JsonObject
            {
                ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
                ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                ["date"] = DateTime.UtcNow.ToString("O"),
                ["measures"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["value"] = Math.Round(r.Value, 4),
                    ["unit"] = r.Unit,
                    ["goal"] = r.Goal,
                })]),
            };
            NotebookFile.WriteAllTextAtomically(output, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"written {output}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void WriteNotebook(string path, string source)
    {
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.Add(NotebookCell.CreateCode(source));
        NotebookFile.SaveAtomically(doc, path);
    }

    private static async Task<double> TimeChildAsync(string notebook, string work)
    {
        var start = RunCommand.SelfStartInfo();
        foreach (var a in new[] { RunOneCommand.Name, notebook, "--executed", Path.Combine(work, "out.ipynb"), "--result", Path.Combine(work, "result.json") })
            start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var result = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(work, "result.json")))!;
        if (result["status"]?.GetValue<string>() != "passed")
            throw new InvalidOperationException($"bench notebook failed: {result["error"]} {await stderr}");
        _ = await stdout;
        return seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
