using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>
/// The engine's numbers, by running the course's own tools: <c>NotebookRunner bench</c> (cold start,
/// per-cell overhead, cached restore), chapter wall times from the runner's report, and with
/// <c>--chapters</c> every notebook run through <c>NotebookRunner run</c> with its peak resident memory.
/// </summary>
internal static class EngineBench
{
    /// <summary>The built runner next to this program's configuration (the project reference builds it).</summary>
    public static string? FindRunner(string repoRoot)
    {
        var configuration = typeof(EngineBench).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Release";
        foreach (var c in new[] { configuration, "Release", "Debug" })
        {
            var dll = Path.Combine(repoRoot, "src", "NotebookRunner", "bin", c, "net10.0", "NotebookRunner.dll");
            if (File.Exists(dll)) return dll;
        }
        return null;
    }

    /// <summary>Runs <c>NotebookRunner bench</c> and returns its measures.</summary>
    public static JsonObject RunnerBench(string repoRoot, string tempDir, TextWriter log)
    {
        var dll = FindRunner(repoRoot);
        if (dll is null) return new JsonObject { ["error"] = "NotebookRunner is not built: dotnet build src/NotebookRunner -c Release" };
        var output = Path.Combine(tempDir, "engine.json");
        var (exit, text, _) = RunChild(repoRoot, ["exec", dll, "bench", "--output", output], TimeSpan.FromMinutes(10), peakRss: false);
        if (exit != 0 || !File.Exists(output))
            return new JsonObject { ["error"] = $"NotebookRunner bench exited with {exit}: {Tail(text)}" };
        var json = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        log.WriteLine("  engine: " + string.Join("; ", (json["measures"] as JsonArray ?? []).Select(m => $"{m?["name"]} {m?["value"]} {m?["unit"]}")));
        return json;
    }

    /// <summary>Chapter wall times from a runner report (<c>artifacts/report.json</c>), if one exists.</summary>
    public static JsonObject? FromReport(string repoRoot)
    {
        var path = Path.Combine(repoRoot, "artifacts", "report.json");
        if (!File.Exists(path)) return null;
        var report = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return new JsonObject
        {
            ["source"] = "artifacts/report.json",
            ["written"] = File.GetLastWriteTimeUtc(path).ToString("O"),
            ["note"] = "mode (quick/full) is not recorded in the report; peak memory is not in it",
            ["notebooks"] = new JsonArray([.. (report["notebooks"] as JsonArray ?? []).Select(n => (JsonNode?)new JsonObject
            {
                ["path"] = n?["path"]?.DeepClone(),
                ["status"] = n?["status"]?.DeepClone(),
                ["seconds"] = n?["seconds"]?.DeepClone(),
            })]),
        };
    }

    /// <summary>Runs every notebook in its own runner process (quick or full) and records wall time and peak resident memory.</summary>
    public static JsonObject RunChapters(string repoRoot, string mode, string tempDir, TextWriter log)
    {
        var dll = FindRunner(repoRoot);
        if (dll is null) return new JsonObject { ["error"] = "NotebookRunner is not built: dotnet build src/NotebookRunner -c Release" };
        var rows = new JsonArray();
        foreach (var notebook in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(repoRoot, notebook);
            var report = Path.Combine(tempDir, $"report-{Path.GetFileNameWithoutExtension(notebook)}.json");
            var args = new List<string> { "exec", dll, "run", relative, "--output", Path.Combine(tempDir, "executed"), "--report", report };
            if (mode == "quick") args.AddRange(["-p", "quick=true"]);
            var clock = Stopwatch.StartNew();
            var (exit, text, peak) = RunChild(repoRoot, args, TimeSpan.FromMinutes(40), peakRss: true);
            var wall = clock.Elapsed.TotalSeconds;
            var entry = File.Exists(report) ? (JsonNode.Parse(File.ReadAllText(report))?["notebooks"] as JsonArray)?.FirstOrDefault() : null;
            var row = new JsonObject
            {
                ["path"] = relative.Replace('\\', '/'),
                ["mode"] = mode,
                ["status"] = entry?["status"]?.DeepClone() ?? (exit == 0 ? "passed" : "failed"),
                ["seconds"] = entry?["seconds"]?.DeepClone() ?? Math.Round(wall, 3),
                ["processSeconds"] = Math.Round(wall, 3),
                ["peakRssMiB"] = Math.Round(peak / (1024.0 * 1024.0), 1),
                ["error"] = exit == 0 ? null : Tail(text),
            };
            log.WriteLine($"  chapter {relative} ({mode}): {row["status"]}, {row["seconds"]} s, peak RSS {row["peakRssMiB"]} MiB");
            rows.Add(row);
        }
        return new JsonObject
        {
            ["source"] = $"NotebookRunner run (this benchmark, {mode} mode)",
            ["peakRssNote"] = "largest VmHWM of any process in the runner's process tree (the notebook child), polled every 100 ms",
            ["notebooks"] = rows,
        };
    }

    /// <summary>One chapters object for both modes: the rows of <paramref name="next"/> appended to <paramref name="sofar"/>'s.</summary>
    public static JsonObject MergeChapters(JsonObject? sofar, JsonObject next)
    {
        if (sofar is null) return next;
        sofar["source"] = "NotebookRunner run (this benchmark, quick and full mode)";
        if (next["error"] is JsonNode error) sofar["error"] = error.DeepClone();
        if (sofar["notebooks"] is not JsonArray rows) sofar["notebooks"] = rows = [];
        foreach (var row in next["notebooks"] as JsonArray ?? []) rows.Add(row?.DeepClone());
        return sofar;
    }

    private static (int Exit, string Output, long PeakRss) RunChild(string workDir, IEnumerable<string> args, TimeSpan timeout, bool peakRss)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(100))
        {
            if (peakRss) peak = Math.Max(peak, TreePeakRss(process.Id));
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        process.WaitForExit();
        lock (output) return (process.HasExited ? process.ExitCode : -1, output.ToString(), peak);
    }

    /// <summary>The largest peak resident set (VmHWM) among <paramref name="root"/> and its descendants, from /proc.</summary>
    internal static long TreePeakRss(int root)
    {
        if (!Directory.Exists("/proc")) return 0;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process went away
            }
        }
        long peak = 0;
        foreach (var pid in parents.Keys)
        {
            var p = pid;
            var inTree = false;
            for (var depth = 0; depth < 64 && p > 1; depth++)
            {
                if (p == root) { inTree = true; break; }
                if (!parents.TryGetValue(p, out p)) break;
            }
            if (!inTree) continue;
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                    peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // gone
            }
        }
        return peak;
    }

    private static string Tail(string text) => text.Length > 800 ? text[^800..] : text;
}
