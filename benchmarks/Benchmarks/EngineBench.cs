using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>
/// The engine's numbers, by running the course's own tools: <c>NotebookRunner bench</c> (cold start,
/// per-cell overhead, cached restore) and chapter wall times from the runner's report; the child processes of the
/// benchmark's chapter runs (<see cref="ChapterBench"/>) with their peak resident memory.
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
        var (exit, text, _) = RunChild("dotnet", repoRoot, ["exec", dll, "bench", "--output", output], TimeSpan.FromMinutes(10), peakRss: false);
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

    /// <summary>
    /// Runs a child process to its end (or kills its tree after <paramref name="timeout"/>), collecting its output and,
    /// with <paramref name="peakRss"/>, the largest peak resident set in its process tree (<see cref="TreePeakRss"/>).
    /// </summary>
    /// <param name="fileName">The program (<c>dotnet</c>, the Python interpreter).</param>
    /// <param name="workDir">Its working directory.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="timeout">Wall-clock limit.</param>
    /// <param name="peakRss">Poll the tree's peak resident memory every 100 ms.</param>
    /// <param name="removeEnvironment">Variables of this process the child does not inherit.</param>
    internal static (int Exit, string Output, long PeakRss) RunChild(string fileName, string workDir, IEnumerable<string> args, TimeSpan timeout, bool peakRss,
        IEnumerable<string>? removeEnvironment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var name in removeEnvironment ?? []) start.Environment.Remove(name);
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

    internal static string Tail(string text) => text.Length > 800 ? text[^800..] : text;
}
