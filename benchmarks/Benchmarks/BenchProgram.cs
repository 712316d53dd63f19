using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Benchmarks.Workloads;
using DeepLearning.Course;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// The benchmark program: for each reference model, training throughput through the
/// library against PyTorch and against a hand-written TorchSharp loop, interleaved, medians of
/// several repetitions after a warm-up; FLOP rates against the measured matmul peak; the engine's
/// numbers; memory; with <c>--chapters</c>, chapters timed in the course's runner and in Microsoft's .NET Interactive
/// (<see cref="ChapterBench"/>). Prints a table and writes JSON.
/// </summary>
internal static class BenchProgram
{
    public static int Run(string[] args, TextWriter output)
    {
        var o = BenchOptions.Parse(args, output);
        if (o is null) return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
        var clock = Stopwatch.StartNew();
        var repoRoot = FindRepoRoot() ?? Directory.GetCurrentDirectory();
        var scriptsDir = Path.Combine(repoRoot, "benchmarks", "pytorch");
        var tempDir = Path.Combine(Path.GetTempPath(), $"dlcourse-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(tempDir);
        var loadStart = LoadAverage();

        // Course.Setup tunes glibc's malloc (NativeAllocator) as every chapter's setup cell does; --default-malloc keeps the defaults.
        if (o.DefaultMalloc) Environment.SetEnvironmentVariable(DeepLearning.Course.Platform.NativeAllocator.SwitchVariable, "default");
        Course.Setup(seed: 0, threads: o.Threads);
        var models = new List<ModelResult>();
        JsonObject? peak = null, engine = null, chapters = null, report = null, processes = null, workerThread = null, tokenizer = null;
        try
        {
            if (o.Only.Contains("peak"))
            {
                output.WriteLine("== matmul peak");
                peak = PeakBench.Run(o, scriptsDir, tempDir, output);
            }
            if (o.Processes > 1)
            {
                var names = BenchOptions.AllModels.Where(o.Only.Contains).ToList();
                output.WriteLine($"== {string.Join(", ", names)} in {o.Processes} fresh processes");
                var runs = ProcessRepeats.Run(args, names, o.Processes, tempDir, output);
                processes = new JsonObject
                {
                    ["count"] = o.Processes,
                    ["summary"] = ProcessRepeats.Summarize(runs),
                    ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
                    {
                        ["date"] = r["date"]?.DeepClone(),
                        ["machine"] = r["machine"]?.DeepClone(),
                        ["models"] = r["models"]?.DeepClone(),
                    })]),
                };
            }
            foreach (var name in BenchOptions.AllModels.Where(n => o.Processes == 1 && o.Only.Contains(n)))
            {
                output.WriteLine($"== {name}");
                if (!ReferenceModels.Factories.TryGetValue(name, out var factory))
                {
                    models.Add(new ModelResult { Name = name, Status = "not available", Reason = ReferenceModels.Missing.GetValueOrDefault(name, "no workload") });
                    output.WriteLine($"  {name}: not available: {models[^1].Reason}");
                    continue;
                }
                try
                {
                    using var workload = factory(o);
                    models.Add(ModelBench.Run(workload, o, scriptsDir, tempDir, output));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    models.Add(new ModelResult { Name = name, Status = "failed", Reason = $"{e.GetType().Name}: {e.Message}" });
                    output.WriteLine($"  {name}: FAILED: {e}");
                }
            }
            if (o.Only.Contains("worker-thread"))
                workerThread = Section("worker-thread", "chapter 04's LSTM on the first thread and on a fresh one", () => WorkerThreadBench.Run(o, output), output);
            if (o.Only.Contains("tokenizer"))
                tokenizer = Section("tokenizer", "chapter 12's GPT-2 encoder against Microsoft.ML.Tokenizers", () => TokenizerBench.Run(o, output), output);
            if (o.Only.Contains("engine") && !o.Smoke)
            {
                output.WriteLine("== engine (NotebookRunner bench)");
                engine = EngineBench.RunnerBench(repoRoot, tempDir, output);
                report = EngineBench.FromReport(repoRoot);
            }
            if (o.Chapters is string chapterModes)
            {
                foreach (var mode in chapterModes == "both" ? ["quick", "full"] : new[] { chapterModes })
                {
                    output.WriteLine($"== chapters ({mode}; {string.Join(", ", o.ChapterHosts)})");
                    chapters = ChapterBench.MergeChapters(chapters, ChapterBench.RunChapters(repoRoot, mode, o, tempDir, output));
                }
            }
        }
        finally
        {
            try { Directory.Delete(tempDir, recursive: true); }
            catch (IOException) { }
        }

        var json = new JsonObject
        {
            ["schema"] = 1,
            ["date"] = DateTime.UtcNow.ToString("O"),
            ["commit"] = Commit(repoRoot),
            ["command"] = "dotnet run --project benchmarks/Benchmarks -c Release -- " + string.Join(' ', args),
            ["machine"] = Machine(loadStart),
            ["versions"] = Versions(models, peak),
            ["settings"] = new JsonObject
            {
                ["threads"] = o.Threads,
                ["repetitions"] = o.Repetitions,
                ["targetSecondsPerRepetition"] = o.TargetSeconds,
                ["quick"] = o.Quick,
                ["smoke"] = o.Smoke,
                ["handOptimizer"] = o.HandCourseOptimizer ? "course (Optimizers.*)" : "TorchSharp stock (optim.*)",
                ["allocator"] = DeepLearning.Course.Platform.NativeAllocator.Describe(),
                ["peerEnvironment"] = new JsonObject([.. o.PeerEnvironment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
                ["order"] = "per repetition: library, PyTorch, hand-written; then hand-written, PyTorch, library; two short warm-up rounds (calibration) and two full-length warm-up repetitions per C# side not counted; the PyTorch peer's full-length one is the trial that picks its OpenMP wait policy",
            },
            ["peak"] = peak,
            ["models"] = new JsonArray([.. models.Select(m => (JsonNode)m.ToJson())]),
            ["processes"] = processes,
            ["workerThread"] = workerThread,
            ["tokenizer"] = tokenizer,
            ["engine"] = engine,
            ["chapterReport"] = report,
            ["chapters"] = chapters,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
        };
        var outDir = o.OutputDirectory ?? Path.Combine(repoRoot, "artifacts", "bench");
        Directory.CreateDirectory(outDir);
        var text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var file = Path.Combine(outDir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{json["commit"]}.json");
        File.WriteAllText(file, text);
        File.WriteAllText(Path.Combine(outDir, "latest.json"), text);

        Table.Print(output, json, models, o);
        if (processes is not null) ProcessRepeats.Print(output, (JsonObject)processes["summary"]!, o.Processes);
        output.WriteLine($"wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), file)} and latest.json ({clock.Elapsed.TotalMinutes:F1} min)");
        var tokenizerFailed = tokenizer is not null && (tokenizer["error"] is not null || tokenizer["mismatchedIds"]?.GetValue<int>() != 0);
        return models.Any(m => m.Status == "failed") || tokenizerFailed ? 1 : 0;
    }

    /// <summary>Runs a section that reports one JSON object; a failure becomes <c>{"error": ...}</c> and a FAILED line, not a crash.</summary>
    private static JsonObject Section(string name, string what, Func<JsonObject> run, TextWriter output)
    {
        output.WriteLine($"== {name} ({what})");
        try { return run(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.WriteLine($"  {name}: FAILED: {e}");
            return new JsonObject { ["error"] = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx"))) return dir.FullName;
        }
        return null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    private static string Commit(string repoRoot)
    {
        try
        {
            var head = Git(repoRoot, "rev-parse --short HEAD").Trim();
            var dirty = Git(repoRoot, "status --porcelain --untracked-files=no").Trim().Length > 0;
            return head.Length == 0 ? "unknown" : dirty ? head + "-dirty" : head;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown";
        }
    }

    private static string Git(string dir, string args)
    {
        var start = new ProcessStartInfo("git", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? text : "";
    }

    private static JsonObject Machine(string loadStart)
    {
        string? cpu = null;
        long memKb = 0;
        if (File.Exists("/proc/cpuinfo"))
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null) memKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return new JsonObject
        {
            ["cpu"] = cpu ?? RuntimeInformation.ProcessArchitecture.ToString(),
            ["logicalCores"] = Environment.ProcessorCount,
            ["memoryGiB"] = Math.Round(memKb / 1024.0 / 1024.0, 1),
            ["os"] = RuntimeInformation.OSDescription,
            ["loadAverageAtStart"] = loadStart,
            ["loadAverageAtEnd"] = LoadAverage(),
        };
    }

    private static JsonObject Versions(List<ModelResult> models, JsonObject? peak)
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var peer = models.Select(m => m.PeerInfo).FirstOrDefault(i => i is not null) ?? peak?["pytorchPeer"] as JsonObject;
        return new JsonObject
        {
            ["dotnet"] = Environment.Version.ToString(),
            ["torchsharp"] = torchSharp,
            ["libtorch"] = __version__,
            ["pytorch"] = peer?["torch"]?.DeepClone(),
            ["numpy"] = peer?["numpy"]?.DeepClone(),
            ["pytorchBlas"] = peer?["blas"]?.DeepClone(),
            ["pytorchThreads"] = peer?["threads"]?.DeepClone(),
            ["torchsharpThreads"] = get_num_threads(),
        };
    }
}
