using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;

namespace Benchmarks;

/// <summary>
/// Chapters timed in their hosts (<c>--chapters</c>, <c>--chapter-hosts</c>): each selected notebook, quick or full,
/// runs in every chosen host one after the other, each in fresh processes: the course's runner
/// (<c>NotebookRunner run</c>) and Microsoft's .NET Interactive through the one real-kernel driver
/// (<see cref="DotNetInteractiveHost"/>). A row per notebook and host: status, wall time, peak resident memory of the
/// host's process tree, the learned metrics; a host other than the course runner also gets <c>vsCourse</c>: its wall
/// time over the course runner's and whether the learned metrics agree (<see cref="MetricsAgreement"/>).
/// </summary>
internal static class ChapterBench
{
    /// <summary>The course's own runner, the host every other one is compared with.</summary>
    public const string Course = "course";

    /// <summary>Runs the selected notebooks in <paramref name="mode"/> (quick or full) in every host of <see cref="BenchOptions.ChapterHosts"/>.</summary>
    public static JsonObject RunChapters(string repoRoot, string mode, BenchOptions o, string tempDir, TextWriter log)
    {
        var folder = Path.GetFullPath(o.ChapterDirectory ?? "notebooks", repoRoot);
        var notebooks = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.ipynb").Where(n => o.ChapterOnly.Count == 0 || o.ChapterOnly.Any(Path.GetFileName(n).StartsWith))
                .Order(StringComparer.Ordinal).ToList()
            : [];
        var result = new JsonObject
        {
            ["source"] = $"{Sources(o.ChapterHosts)} (this benchmark, {mode} mode)",
            ["mode"] = mode,
            ["hosts"] = new JsonArray([.. o.ChapterHosts.Select(h => (JsonNode?)h)]),
            ["peakRssNote"] = "largest VmHWM of any process in the host's process tree (the runner's notebook child; the driver's kernel), polled every 100 ms",
            ["ratioNote"] = "vsCourse.ratio: the host's processSeconds over the course runner's (the benchmark's clock from process start to exit, start-up included in both); notebookRatio: the hosts' own seconds (the runner's notebook run; the driver's kernel start and cells)",
        };
        if (notebooks.Count == 0)
            result["error"] = $"no notebook in {Path.GetRelativePath(repoRoot, folder)}" + (o.ChapterOnly.Count > 0 ? $" starts with {string.Join(" or ", o.ChapterOnly)}" : "");
        var runner = o.ChapterHosts.Contains(Course) ? EngineBench.FindRunner(repoRoot) : null;
        if (o.ChapterHosts.Contains(Course) && runner is null)
            result["error"] = "NotebookRunner is not built: dotnet build src/NotebookRunner -c Release";
        var real = o.ChapterHosts.Any(DotNetInteractiveHost.IsHost) ? new DotNetInteractiveHost(repoRoot, o) : null;

        var rows = new JsonArray();
        foreach (var notebook in notebooks)
        {
            var relative = Path.GetRelativePath(repoRoot, notebook).Replace('\\', '/');
            JsonObject? course = null;
            foreach (var host in o.ChapterHosts)
            {
                JsonObject row;
                if (host == Course)
                {
                    if (runner is null) continue;
                    row = course = RunInCourse(repoRoot, runner, notebook, relative, mode, tempDir);
                }
                else
                {
                    row = real!.Run(host, notebook, relative, mode, tempDir);
                    if (course is not null) row["vsCourse"] = Compare(course, row);
                }
                log.WriteLine($"  chapter {relative} ({mode}) in {host}: {row["status"]}, {row["seconds"]} s (process {row["processSeconds"]} s), peak RSS {row["peakRssMiB"]} MiB{VsCourse(row)}");
                rows.Add(row);
            }
        }
        if (real is not null) result["dotnetInteractive"] = real.Describe();
        result["notebooks"] = rows;
        return result;
    }

    /// <summary>One chapters object for both modes: the rows of <paramref name="next"/> appended to <paramref name="sofar"/>'s.</summary>
    public static JsonObject MergeChapters(JsonObject? sofar, JsonObject next)
    {
        if (sofar is null) return next;
        sofar["mode"] = $"{ModeOf(sofar)} and {ModeOf(next)}";
        sofar["source"] = sofar["source"]!.GetValue<string>().Replace(" mode)", " and " + ModeOf(next) + " mode)", StringComparison.Ordinal);
        if (next["error"] is JsonNode error) sofar["error"] = error.DeepClone();
        if (next["dotnetInteractive"] is JsonNode real) sofar["dotnetInteractive"] = real.DeepClone();
        if (sofar["notebooks"] is not JsonArray rows) sofar["notebooks"] = rows = [];
        foreach (var row in next["notebooks"] as JsonArray ?? []) rows.Add(row?.DeepClone());
        return sofar;
    }

    /// <summary>
    /// A host's row against the course runner's for the same notebook and mode: the wall-time ratios, and when both
    /// passed whether the learned metrics agree (the real-kernel chapter test's rule), with every disagreement.
    /// </summary>
    internal static JsonObject Compare(JsonObject course, JsonObject other)
    {
        static double? Seconds(JsonObject row, string key) => row[key] is JsonValue v && v.TryGetValue<double>(out var d) && d > 0 ? d : null;
        static double? Ratio(double? a, double? b) => a is double x && b is double y ? Math.Round(x / y, 2) : null;
        var bothPassed = course["status"]?.GetValue<string>() == "passed" && other["status"]?.GetValue<string>() == "passed";
        var expected = Metrics(course);
        var actual = Metrics(other);
        var differing = bothPassed ? MetricsAgreement.Differences(expected, actual, Course, other["host"]!.GetValue<string>()) : [];
        return new JsonObject
        {
            ["ratio"] = Ratio(Seconds(other, "processSeconds"), Seconds(course, "processSeconds")),
            ["notebookRatio"] = Ratio(Seconds(other, "seconds"), Seconds(course, "seconds")),
            ["metricsAgree"] = bothPassed ? differing.Count == 0 : null,
            ["metricsCompared"] = expected.Keys.Count(name => actual.ContainsKey(name) && !MetricsAgreement.IsWallTime(name)),
            ["metricsDiffering"] = new JsonArray([.. differing.Select(d => (JsonNode?)d)]),
            ["note"] = bothPassed ? null : "metrics are compared only when both hosts passed",
        };
    }

    private static JsonObject RunInCourse(string repoRoot, string runner, string notebook, string relative, string mode, string tempDir)
    {
        var report = Path.Combine(tempDir, $"report-{Path.GetFileNameWithoutExtension(notebook)}-{mode}.json");
        var args = new List<string> { "exec", runner, "run", notebook, "--output", Path.Combine(tempDir, "executed"), "--report", report };
        if (mode == "quick") args.AddRange(["-p", "quick=true"]);
        var clock = Stopwatch.StartNew();
        var (exit, text, peak) = EngineBench.RunChild("dotnet", repoRoot, args, TimeSpan.FromMinutes(40), peakRss: true);
        var wall = clock.Elapsed.TotalSeconds;
        var entry = File.Exists(report) ? (JsonNode.Parse(File.ReadAllText(report))?["notebooks"] as JsonArray)?.FirstOrDefault() : null;
        return new JsonObject
        {
            ["path"] = relative,
            ["mode"] = mode,
            ["host"] = Course,
            ["status"] = entry?["status"]?.DeepClone() ?? (exit == 0 ? "passed" : "failed"),
            ["seconds"] = entry?["seconds"]?.DeepClone() ?? Math.Round(wall, 3),
            ["processSeconds"] = Math.Round(wall, 3),
            ["peakRssMiB"] = Mib(peak),
            ["error"] = exit == 0 ? null : EngineBench.Tail(text),
            ["metrics"] = entry?["metrics"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>Bytes as MiB with one decimal, as every chapter row reports peak memory.</summary>
    internal static double Mib(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

    private static Dictionary<string, double> Metrics(JsonObject row) =>
        (row["metrics"] as JsonObject ?? []).Where(m => m.Value is JsonValue v && v.TryGetValue<double>(out _))
            .ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());

    private static string VsCourse(JsonObject row) => row["vsCourse"] is not JsonObject vs ? ""
        : $"; x{vs["ratio"]} of course, " + (vs["metricsAgree"]?.GetValue<bool>() switch
        {
            true => $"metrics agree ({vs["metricsCompared"]} compared)",
            false => $"METRICS DIFFER: {string.Join("; ", vs["metricsDiffering"]!.AsArray())}",
            null => "metrics not compared",
        });

    private static string Sources(IReadOnlyList<string> hosts) => string.Join(" and ", new[]
    {
        hosts.Contains(Course) ? "NotebookRunner run" : null,
        hosts.Any(DotNetInteractiveHost.IsHost) ? $".NET Interactive through {DotNetInteractiveHost.DriverPath}" : null,
    }.OfType<string>());

    private static string ModeOf(JsonObject chapters) =>
        chapters["mode"]?.GetValue<string>() ?? (chapters["notebooks"] as JsonArray)?.FirstOrDefault()?["mode"]?.GetValue<string>() ?? "another";

    /// <summary>The line the printed table shows for a row compared with the course runner (empty otherwise).</summary>
    internal static string Summary(JsonNode? row) => row is JsonObject o ? VsCourse(o) : "";
}
