using System.Globalization;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>The human-readable summary printed at the end of a run (the JSON has everything).</summary>
internal static class Table
{
    public static void Print(TextWriter w, JsonObject json, IReadOnlyList<ModelResult> models, BenchOptions o)
    {
        var machine = json["machine"]!;
        var versions = json["versions"]!;
        w.WriteLine();
        w.WriteLine($"Machine: {machine["cpu"]}, {machine["logicalCores"]} logical cores, {machine["memoryGiB"]} GiB, load average {machine["loadAverageAtStart"]} -> {machine["loadAverageAtEnd"]}");
        w.WriteLine($"TorchSharp {versions["torchsharp"]} (libtorch {versions["libtorch"]}), PyTorch {versions["pytorch"] ?? "-"} ({versions["pytorchBlas"] ?? "-"}), {o.Threads} threads each, {json["settings"]?["allocator"]} (peer: {(o.DefaultMalloc ? "glibc defaults" : "same thresholds via MALLOC_*")}); commit {json["commit"]}, {json["date"]}");
        w.WriteLine();
        if (models.Count > 0)
        {
            w.WriteLine($"Training throughput, median of {o.Repetitions} interleaved repetitions (ratio = library / PyTorch, goal >= 1.00; Trainer overhead vs hand-written TorchSharp per step, goal <= 5%)");
            w.WriteLine($"{"model",-11}{"unit",-12}{"steps",6}{"library",11}{"hand",11}{"PyTorch",11}{"ratio",7}{"cpu ratio",10}{"overhead",10}{"cpu ovh",9}{"tensors/step lib/hand",23}{"GC-freed/step",15}{"live growth",13}");
            foreach (var m in models)
            {
                if (m.Status != "ok")
                {
                    w.WriteLine($"{m.Name,-11}{m.Status}: {m.Reason}");
                    continue;
                }
                var py = m.PyTorch.Throughput.Count > 0 ? Num(m.PyTorch.Median) : "-";
                var ratio = m.PyTorch.Throughput.Count > 0 ? m.RatioVsPyTorch.ToString("F2", CultureInfo.InvariantCulture) : "-";
                w.WriteLine($"{m.Name,-11}{m.Unit,-12}{m.Steps,6}{Num(m.Library.Median),11}{Num(m.Hand.Median),11}{py,11}{ratio,7}{(m.PyTorch.CpuSeconds.Count > 0 ? m.CpuRatioVsPyTorch.ToString("F2", CultureInfo.InvariantCulture) : "-"),10}{Pct(m.Overhead),9}%{Pct(m.CpuOverhead),8}%{$"{Stats.Median(m.Library.TensorsPerStep):F0}/{Stats.Median(m.Hand.TensorsPerStep):F0}",23}{$"{Fmt(m.Library.FinalizablePerStep)}/{Fmt(m.Hand.FinalizablePerStep)}",15}{(m.LiveTensorGrowth?.ToString(CultureInfo.InvariantCulture) ?? "-"),13}");
            }
            w.WriteLine($"  hand: hand-written TorchSharp loop with {(o.HandCourseOptimizer ? "the course's optimizers (overhead = the Trainer's loop alone)" : "TorchSharp's stock optimizers (--hand-optimizer course for the loop alone)")}");
            w.WriteLine("  cpu ratio / cpu ovh: the same from process CPU time (all threads), steadier than wall time when other work shares the cores");
            w.WriteLine("  GC-freed/step: objects per step only the .NET finalizer frees (TorchSharp's native scalars; each pins native heap until a collection)");
            foreach (var m in models.Where(m => m.Status == "ok"))
                w.WriteLine($"  {m.Name}: {m.Title}{(m.PeerChoice?["chosen"] is JsonNode chosen ? $"; PyTorch peer {chosen}" : "")}{(m.PyTorch.Error is string e ? $" [PyTorch: {Short(e)}]" : "")}");
            w.WriteLine();
        }

        var peak = json["peak"];
        var tsPeak = peak?["torchsharpGFlops"]?["median"]?.GetValue<double>();
        var pyPeak = peak?["pytorchGFlops"]?["median"]?.GetValue<double>();
        if (peak is not null)
        {
            w.WriteLine($"Matmul peak ({PeakBench.Size}², float32, {o.Threads} threads): TorchSharp {Fmt(tsPeak)} GFLOP/s (best {Fmt(peak["torchsharpGFlops"]?["best"]?.GetValue<double>())}), PyTorch {Fmt(pyPeak)} GFLOP/s (best {Fmt(peak["pytorchGFlops"]?["best"]?.GetValue<double>())})");
        }
        var counted = models.Where(m => m.Status == "ok" && m.ForwardFlopsPerStep is not null).ToList();
        if (counted.Count > 0)
        {
            w.WriteLine("Training FLOP rate (3 x forward matmul/conv FLOPs per step), fraction of the same side's matmul peak (goal >= 25% for cnn and gpt)");
            foreach (var m in counted)
            {
                var lib = m.GFlops(m.Library);
                var py = m.PyTorch.Throughput.Count > 0 ? m.GFlops(m.PyTorch) : null;
                w.WriteLine($"  {m.Name,-10} library {Fmt(lib)} GFLOP/s = {Pct(lib, tsPeak)} of peak; PyTorch {Fmt(py)} GFLOP/s = {Pct(py, pyPeak)}");
            }
        }
        if (peak is not null || counted.Count > 0) w.WriteLine();

        if (json["engine"] is JsonObject engine)
        {
            w.WriteLine("Engine (NotebookRunner bench)");
            if (engine["error"] is JsonNode error) w.WriteLine($"  {error}");
            foreach (var m in engine["measures"] as JsonArray ?? [])
                w.WriteLine($"  {m?["name"],-58} {m?["value"],9} {m?["unit"],-3} {m?["goal"]}");
            w.WriteLine();
        }
        foreach (var key in new[] { "chapterReport", "chapters" })
        {
            if (json[key] is not JsonObject chapters) continue;
            w.WriteLine($"Chapters ({chapters["source"]}{(chapters["written"] is JsonNode at ? $", written {at}" : "")})");
            if (chapters["error"] is JsonNode error) w.WriteLine($"  {error}");
            foreach (var n in chapters["notebooks"] as JsonArray ?? [])
            {
                w.WriteLine($"  {n?["path"],-36} {n?["mode"],-6} {n?["host"] ?? "",-26} {n?["status"],-12} {n?["seconds"],9} s{(n?["processSeconds"] is JsonNode wall ? $" (process {wall} s)" : "")}{(n?["peakRssMiB"] is JsonNode rss ? $"   peak RSS {rss} MiB" : "")}{ChapterBench.Summary(n)}");
                if (n?["status"]?.ToString() is not (null or "passed") && n?["error"] is JsonNode why) w.WriteLine($"      {Short(Reason(why.ToString()))}");
            }
            if (chapters["dotnetInteractive"] is JsonObject real) w.WriteLine($"  {DotNetInteractiveHost.Line(real)}");
            if (chapters["notebooks"] is JsonArray rows && rows.Any(r => r?["vsCourse"] is not null))
                w.WriteLine("  xN of course: wall time of the host's process over the course runner's (start-up included in both); metrics: the real-kernel test's rule, 1e-9 x max(1, |v|), *_seconds not compared");
            w.WriteLine();
        }
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString(v >= 100 ? "N0" : "F1", CultureInfo.InvariantCulture) : "-";

    private static string Fmt(double? v) => v is double d && double.IsFinite(d) ? d.ToString("F1", CultureInfo.InvariantCulture) : "-";

    /// <summary>A fraction as a signed percentage with one decimal ("+1.3", "-0.4", "0.0"; never "-+0.0").</summary>
    internal static string Pct(double fraction) => double.IsFinite(fraction)
        ? Math.Round(fraction * 100, 1).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)
        : "-";

    private static string Pct(double? v, double? of) =>
        v is double a && of is double b && b > 0 ? (a / b).ToString("P0", CultureInfo.InvariantCulture) : "-";

    /// <summary>The line of an error that says what went wrong: the last one that is not a stack frame (the install hint, the exception).</summary>
    private static string Reason(string error) =>
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => !line.StartsWith("at ", StringComparison.Ordinal) && !line.StartsWith("---", StringComparison.Ordinal)) ?? "";

    private static string Short(string s) => s.Length > 160 ? s[..160] + "..." : s;
}
