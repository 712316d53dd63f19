using System.Diagnostics;
using System.Text.Json.Nodes;
using Benchmarks.Workloads;

namespace Benchmarks;

/// <summary>
/// <c>--only worker-thread</c>: chapter 04's LSTM trained through the library on the thread that ran <c>Main</c> and on a
/// fresh thread (as Microsoft's .NET Interactive runs every cell), with minor page faults per step for each, so the glibc
/// arena effect of README "Speed in .NET Interactive" can be seen in one process: run it once as it is and once with
/// <c>MALLOC_ARENA_MAX=1</c>.
/// </summary>
/// <remarks>
/// A thread other than the process's first allocates from its own glibc arena, whose heaps are at most 64 MiB; a larger
/// block (this LSTM's step needs one) is mapped for each allocation and unmapped when freed, so every step touches fresh
/// pages. The process's first thread allocates from the main heap, which the library's tuning keeps. Faults are counted
/// for the whole process (<c>/proc/self/stat</c>), since libtorch's OpenMP threads share the step.
/// </remarks>
internal static class WorkerThreadBench
{
    public static JsonObject Run(BenchOptions o, TextWriter output)
    {
        using var workload = ReferenceModels.Factories["lstm"](o);
        var steps = o.Smoke ? 1 : 8;
        var reps = o.Smoke ? 1 : Math.Max(3, o.Repetitions);
        var first = Measure(workload, steps, reps);
        (double Ms, double Faults) fresh = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { fresh = Measure(workload, steps, reps); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("the LSTM step failed on a fresh thread", failure);
        var arenaMax = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX");
        output.WriteLine($"  lstm step on the first thread: {first.Ms:F1} ms, {first.Faults:F0} page faults; on a fresh thread: {fresh.Ms:F1} ms, {fresh.Faults:F0} page faults (x{fresh.Ms / first.Ms:F2}; MALLOC_ARENA_MAX={arenaMax ?? "unset"})");
        return new JsonObject
        {
            ["model"] = "lstm",
            ["mallocArenaMax"] = arenaMax,
            ["stepsPerRepetition"] = steps,
            ["repetitions"] = reps,
            ["firstThread"] = new JsonObject { ["msPerStep"] = SideResult.Round(first.Ms), ["pageFaultsPerStep"] = SideResult.Round(first.Faults) },
            ["freshThread"] = new JsonObject { ["msPerStep"] = SideResult.Round(fresh.Ms), ["pageFaultsPerStep"] = SideResult.Round(fresh.Faults) },
            ["ratio"] = SideResult.Round(fresh.Ms / first.Ms),
        };
    }

    /// <summary>Median milliseconds and minor page faults per step over <paramref name="reps"/> runs of <paramref name="steps"/> steps, after one unmeasured run.</summary>
    private static (double Ms, double Faults) Measure(Workload workload, int steps, int reps)
    {
        workload.LibrarySeconds(steps); // warm-up on this thread: lazy state, its OpenMP team
        var ms = new List<double>();
        var faults = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var before = MinorFaults();
            ms.Add(workload.LibrarySeconds(steps) * 1000 / steps);
            faults.Add((MinorFaults() - before) / (double)steps);
        }
        return (Stats.Median(ms), Stats.Median(faults));
    }

    /// <summary>The process's minor page faults so far (field 10 of <c>/proc/self/stat</c>); 0 where there is no /proc.</summary>
    internal static long MinorFaults()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
