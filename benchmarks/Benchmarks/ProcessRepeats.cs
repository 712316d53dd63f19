using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>
/// <c>--processes N</c>: the model benchmarks run in N fresh processes, one after the other, and the Trainer overhead is
/// judged on the median of the N per-process results.
/// </summary>
/// <remarks>
/// Why: inside one process each side's per-step tensors keep landing at the same addresses, so a side can be lucky or
/// unlucky for the whole run, and interleaving repetitions does not average that out. For the dot-product model
/// (0.5 ms steps) eight processes of the same build gave overheads from -15.9% to +13.8%; for models with steps of 10 ms
/// and more the spread is a few percent. A fresh process draws a fresh layout, so the median over processes is the number.
/// </remarks>
internal static class ProcessRepeats
{
    /// <summary>The arguments a child gets: the parent's, without <c>--processes</c>, <c>--only</c> and <c>--output</c>, plus the models and its own output folder.</summary>
    public static List<string> ChildArguments(IReadOnlyList<string> args, IEnumerable<string> models, string output)
    {
        var child = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--processes" or "--only" or "--output")
            {
                i++; // and its value
                continue;
            }
            child.Add(args[i]);
        }
        child.AddRange(["--only", string.Join(',', models), "--output", output]);
        return child;
    }

    /// <summary>Runs the children and returns each one's result JSON (its <c>latest.json</c>), in order.</summary>
    /// <exception cref="InvalidOperationException">A child failed; its exit code and the end of its output are in the message.</exception>
    public static List<JsonObject> Run(IReadOnlyList<string> args, IReadOnlyList<string> models, int processes, string tempDir, TextWriter output)
    {
        var benchmarksDll = typeof(ProcessRepeats).Assembly.Location;
        var runs = new List<JsonObject>();
        for (var k = 1; k <= processes; k++)
        {
            var dir = Path.Combine(tempDir, $"process-{k}");
            var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(benchmarksDll);
            foreach (var a in ChildArguments(args, models, dir)) start.ArgumentList.Add(a);
            var clock = Stopwatch.StartNew();
            using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
            var stderr = child.StandardError.ReadToEndAsync();
            var stdout = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            var latest = Path.Combine(dir, "latest.json");
            if (child.ExitCode != 0 || !File.Exists(latest))
                throw new InvalidOperationException(
                    $"benchmark process {k} of {processes} exited with {child.ExitCode}; the end of its output:\n{Tail(stdout + stderr.Result, 3000)}");
            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(latest))!;
            runs.Add(json);
            var line = string.Join(", ", (json["models"]?.AsArray() ?? []).Select(m =>
                $"{m!["name"]} {Table.Pct(m["trainerOverhead"]?.GetValue<double>() ?? double.NaN)}%"));
            output.WriteLine($"  process {k}/{processes} ({clock.Elapsed.TotalMinutes:F1} min): Trainer overhead {line}");
        }
        return runs;
    }

    /// <summary>Per model: every process's overhead (wall and CPU time), their median, minimum and maximum.</summary>
    public static JsonObject Summarize(IReadOnlyList<JsonObject> runs)
    {
        var byModel = new JsonObject();
        var names = runs.SelectMany(r => r["models"]?.AsArray() ?? []).Select(m => m!["name"]!.GetValue<string>()).Distinct().ToList();
        foreach (var name in names)
        {
            var results = runs.Select(r => r["models"]?.AsArray().FirstOrDefault(m => m!["name"]!.GetValue<string>() == name))
                .Where(m => m?["status"]?.GetValue<string>() == "ok").ToList();
            double[] Values(string key) => [.. results.Select(m => m![key]?.GetValue<double>() ?? double.NaN).Where(double.IsFinite)];
            var wall = Values("trainerOverhead");
            var cpu = Values("cpuTrainerOverhead");
            byModel[name] = new JsonObject
            {
                ["processes"] = results.Count,
                ["trainerOverheads"] = new JsonArray([.. wall.Select(v => (JsonNode)v)]),
                ["medianTrainerOverhead"] = SideResult.Round(Stats.Median(wall)),
                ["minTrainerOverhead"] = wall.Length == 0 ? null : wall.Min(),
                ["maxTrainerOverhead"] = wall.Length == 0 ? null : wall.Max(),
                ["cpuTrainerOverheads"] = new JsonArray([.. cpu.Select(v => (JsonNode)v)]),
                ["medianCpuTrainerOverhead"] = SideResult.Round(Stats.Median(cpu)),
                ["medianLibraryThroughput"] = SideResult.Round(Stats.Median(Values2(results, "library"))),
                ["medianHandThroughput"] = SideResult.Round(Stats.Median(Values2(results, "hand"))),
            };
        }
        return byModel;
    }

    /// <summary>The summary as a table.</summary>
    public static void Print(TextWriter w, JsonObject summary, int processes)
    {
        w.WriteLine();
        w.WriteLine($"Trainer overhead across {processes} processes (each process: the median of its interleaved repetitions; goal <= 5% for the median)");
        w.WriteLine($"{"model",-11}{"median",9}{"cpu",9}{"min",9}{"max",9}   per process");
        foreach (var (name, node) in summary)
        {
            var m = node!;
            string P(string key) => m[key] is JsonNode v ? Table.Pct(v.GetValue<double>()) + "%" : "-";
            var each = string.Join(' ', m["trainerOverheads"]!.AsArray().Select(v => Table.Pct(v!.GetValue<double>())));
            w.WriteLine($"{name,-11}{P("medianTrainerOverhead"),9}{P("medianCpuTrainerOverhead"),9}{P("minTrainerOverhead"),9}{P("maxTrainerOverhead"),9}   {each}");
        }
        w.WriteLine();
    }

    private static double[] Values2(IEnumerable<JsonNode?> results, string side) =>
        [.. results.Select(m => m![side]?["medianThroughput"]?.GetValue<double>() ?? double.NaN).Where(double.IsFinite)];

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
