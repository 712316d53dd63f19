using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>Repetitions of one side of a comparison: wall times and the throughput they give.</summary>
internal sealed class SideResult
{
    public List<double> Seconds { get; } = [];

    public List<double> Throughput { get; } = [];

    /// <summary>Process CPU time (all threads) per repetition: steadier than wall time on a loaded machine.</summary>
    public List<double> CpuSeconds { get; } = [];

    /// <summary>Native tensor handles created per step (TorchSharp's dispose-scope statistics; C# sides only): a load-independent cost indicator.</summary>
    public List<double> TensorsPerStep { get; } = [];

    /// <summary>
    /// Objects per step that only the .NET finalizer frees (C# sides only; see <see cref="ModelBench.CountFinalizable"/>):
    /// mostly TorchSharp's native scalars, which dispose scopes do not track. Each one pins a small block in the
    /// native heap until the next collection (see CourseAdam). Null when it could not be counted.
    /// </summary>
    public double? FinalizablePerStep { get; set; }

    public string? Error { get; set; }

    public double Median => Stats.Median(Throughput);

    public double MedianSeconds => Stats.Median(Seconds);

    public JsonObject ToJson() => new()
    {
        ["medianThroughput"] = Round(Median),
        ["medianSeconds"] = Round(MedianSeconds),
        ["spread"] = Round(Stats.Spread(Throughput)),
        ["medianCpuSeconds"] = CpuSeconds.Count == 0 ? null : Round(Stats.Median(CpuSeconds)),
        ["throughput"] = new JsonArray([.. Throughput.Select(t => (JsonNode?)Round(t))]),
        ["seconds"] = new JsonArray([.. Seconds.Select(t => (JsonNode?)Round(t))]),
        ["tensorsCreatedPerStep"] = TensorsPerStep.Count == 0 ? null : Round(Stats.Median(TensorsPerStep)),
        ["finalizablePerStep"] = FinalizablePerStep is double f ? Round(f) : null,
        ["error"] = Error,
    };

    public static double? Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
}

/// <summary>One reference model's results: throughput three ways, Trainer overhead, FLOP rate, memory.</summary>
internal sealed class ModelResult
{
    public required string Name { get; init; }

    public string Title { get; set; } = "";

    public string Unit { get; set; } = "";

    public string Status { get; set; } = "ok";

    public string? Reason { get; set; }

    public int Steps { get; set; }

    public long ItemsPerStep { get; set; }

    public SideResult Library { get; } = new();

    public SideResult Hand { get; } = new();

    public SideResult PyTorch { get; } = new();

    public JsonObject? PeerInfo { get; set; }

    /// <summary>The peer configurations tried (OpenMP wait policy → trial throughput) and the one kept.</summary>
    public JsonObject? PeerChoice { get; set; }

    public double? ForwardFlopsPerStep { get; set; }

    public string? FlopsNote { get; set; }

    public IReadOnlyList<long>? LiveTensors { get; set; }

    public double? RssGrowthMiB { get; set; }

    public double RatioVsPyTorch => Library.Median / PyTorch.Median;

    /// <summary>Extra wall time per step of the library over the hand-written loop (ratio of medians).</summary>
    public double Overhead => Library.MedianSeconds / Hand.MedianSeconds - 1;

    /// <summary>The same, as the median of per-repetition ratios (the two ran back to back, so load drifts cancel).</summary>
    public double PairedOverhead =>
        Stats.Median(Library.Seconds.Zip(Hand.Seconds, (l, h) => l / h - 1).ToArray());

    public double PairedRatioVsPyTorch =>
        Stats.Median(Library.Seconds.Zip(PyTorch.Seconds, (l, p) => p / l).ToArray());

    /// <summary>PyTorch CPU seconds / library CPU seconds for the same steps (> 1: the library needs less CPU).</summary>
    public double CpuRatioVsPyTorch => Stats.Median(PyTorch.CpuSeconds) / Stats.Median(Library.CpuSeconds);

    public double CpuOverhead => Stats.Median(Library.CpuSeconds) / Stats.Median(Hand.CpuSeconds) - 1;

    /// <summary>Training FLOP rate through the library: 3 × forward FLOPs per step (forward + backward).</summary>
    public double? GFlops(SideResult side) =>
        ForwardFlopsPerStep is double f && side.Median > 0 ? 3 * f * side.Median / ItemsPerStep / 1e9 : null;

    /// <summary>Live tensors at the start of the last epoch minus at the start of the second (the first allocates optimizer state).</summary>
    public long? LiveTensorGrowth => LiveTensors is { Count: >= 3 } l ? l[^2] - l[1] : null;

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["title"] = Title,
        ["status"] = Status,
        ["reason"] = Reason,
        ["unit"] = Unit,
        ["stepsPerRepetition"] = Steps,
        ["itemsPerStep"] = ItemsPerStep,
        ["library"] = Library.ToJson(),
        ["hand"] = Hand.ToJson(),
        ["pytorch"] = PyTorch.ToJson(),
        ["pytorchPeer"] = PeerInfo?.DeepClone(),
        ["pytorchPeerChoice"] = PeerChoice?.DeepClone(),
        ["ratioVsPyTorch"] = SideResult.Round(RatioVsPyTorch),
        ["pairedRatioVsPyTorch"] = SideResult.Round(PairedRatioVsPyTorch),
        ["trainerOverhead"] = SideResult.Round(Overhead),
        ["pairedTrainerOverhead"] = SideResult.Round(PairedOverhead),
        ["cpuRatioVsPyTorch"] = SideResult.Round(CpuRatioVsPyTorch),
        ["cpuTrainerOverhead"] = SideResult.Round(CpuOverhead),
        ["trainerOverheadMsPerStep"] = Steps > 0 ? SideResult.Round((Library.MedianSeconds - Hand.MedianSeconds) / Steps * 1000) : null,
        ["forwardFlopsPerStep"] = ForwardFlopsPerStep,
        ["flopsConvention"] = ForwardFlopsPerStep is null ? null : "training step = 3 x forward FLOPs (forward + backward); 2 FLOPs per multiply-add; " + FlopsNote,
        ["libraryGFlops"] = GFlops(Library) is double g ? SideResult.Round(g) : null,
        ["pytorchGFlops"] = GFlops(PyTorch) is double p ? SideResult.Round(p) : null,
        ["liveTensorsAtEpochStart"] = LiveTensors is null ? null : new JsonArray([.. LiveTensors.Select(c => (JsonNode?)c)]),
        ["liveTensorGrowth"] = LiveTensorGrowth,
        ["rssGrowthMiB"] = RssGrowthMiB is double r ? Math.Round(r, 1) : null,
    };
}

/// <summary>Runs one workload: warm-up, step calibration, interleaved repetitions, memory check.</summary>
internal static class ModelBench
{
    public static ModelResult Run(Workload w, BenchOptions o, string scriptsDir, string tempDir, TextWriter log)
    {
        var r = new ModelResult
        {
            Name = w.Name, Title = w.Title, Unit = w.Unit, ItemsPerStep = w.ItemsPerStep,
            ForwardFlopsPerStep = w.ForwardFlopsPerStep, FlopsNote = w.FlopsNote,
        };
        PythonPeer? peer = null;
        var candidates = new List<(string? Policy, PythonPeer? Peer)>();
        try
        {
            if (o.PyTorch)
            {
                try
                {
                    var dir = Path.Combine(tempDir, w.Name);
                    Directory.CreateDirectory(dir);
                    w.WritePeerData(dir);
                    if (o.PeerWaitPolicies.Count == 0) candidates.Add((null, PythonPeer.Start(o, scriptsDir, w.PythonModule, dir)));
                    foreach (var policy in o.PeerWaitPolicies)
                        candidates.Add((policy, PythonPeer.Start(o, scriptsDir, w.PythonModule, dir, new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = policy })));
                    r.PeerInfo = candidates[0].Peer!.Info;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
                {
                    r.PyTorch.Error = e.Message;
                    log.WriteLine($"  {w.Name}: PyTorch peer unavailable: {e.Message}");
                    foreach (var c in candidates) c.Peer?.Dispose();
                    candidates.Clear();
                }
            }
            else
            {
                r.PyTorch.Error = "skipped (--no-pytorch)";
            }
            var peerTimeout = TimeSpan.FromSeconds(Math.Max(120, 40 * o.TargetSeconds));

            w.HandUsesCourseOptimizer = o.HandCourseOptimizer;

            // Warm-up (not counted): lazy optimizer state, JIT, allocator pools, on every side.
            var warm = Math.Min(w.MaxSteps, o.Smoke ? 1 : 3);
            w.LibrarySeconds(warm);
            w.HandSeconds(warm);
            for (var i = 0; i < candidates.Count; i++) candidates[i] = (candidates[i].Policy, RunPeer(candidates[i].Peer, r, warm, peerTimeout, log, record: false));

            // Calibrate the steps per repetition to the target time from a second warm-up round.
            Quiet(o);
            var perStep = Math.Min(w.LibrarySeconds(warm), w.HandSeconds(warm)) / warm;
            for (var i = 0; i < candidates.Count; i++) candidates[i] = (candidates[i].Policy, RunPeer(candidates[i].Peer, r, warm, peerTimeout, log, record: false));
            r.Steps = o.Smoke ? Math.Min(2, w.MaxSteps) : Math.Clamp((int)Math.Round(o.TargetSeconds / perStep), Math.Min(3, w.MaxSteps), w.MaxSteps);
            log.WriteLine($"  {w.Name}: {r.Steps} steps per repetition (~{perStep * 1000:F1} ms/step), {o.Repetitions} repetitions per side");
            // Full-length repetitions per C# side, not counted: .NET's tiered JIT promotes hot methods only after
            // they have run a while (the first repetitions of the fast dot-product model ran up to 40% slower).
            // Two, because the first measured repetitions still ran slow after one (the process heap still growing).
            for (var i = 0; i < (o.Smoke ? 0 : 2); i++)
            {
                w.LibrarySeconds(r.Steps);
                w.HandSeconds(r.Steps);
            }
            peer = ChoosePeer(candidates, r, peerTimeout, log); // its trial repetition is the peer's full-length warm-up

            for (var rep = 0; rep < o.Repetitions; rep++)
            {
                // Interleaved, and the order flips every repetition so neither side always follows the other.
                var order = rep % 2 == 0 ? "LPH" : "HPL";
                foreach (var side in order)
                {
                    Quiet(o);
                    switch (side)
                    {
                        case 'L':
                            Record(r.Library, Counted(r.Library, r.Steps, () => w.LibrarySeconds(r.Steps)), r);
                            break;
                        case 'H':
                            Record(r.Hand, Counted(r.Hand, r.Steps, () => w.HandSeconds(r.Steps)), r);
                            break;
                        default:
                            peer = RunPeer(peer, r, r.Steps, peerTimeout, log, record: true);
                            break;
                    }
                }
            }

            r.Library.FinalizablePerStep = CountFinalizable(w.LibrarySeconds, Math.Min(w.MaxSteps, 10));
            r.Hand.FinalizablePerStep = CountFinalizable(w.HandSeconds, Math.Min(w.MaxSteps, 10));

            // Memory: live native tensors at each epoch start of a short Trainer run, and resident memory.
            Settle();
            var rssBefore = Process.GetCurrentProcess().WorkingSet64;
            r.LiveTensors = w.LiveTensorsPerEpoch(o.Quick ? 3 : 4, Math.Min(w.MaxSteps, o.Smoke ? 2 : o.Quick ? 3 : 5));
            Settle();
            r.RssGrowthMiB = (Process.GetCurrentProcess().WorkingSet64 - rssBefore) / (1024.0 * 1024.0);
            log.WriteLine($"  {w.Name}: library {r.Library.Median:N0}, hand {r.Hand.Median:N0}, PyTorch {(r.PyTorch.Throughput.Count > 0 ? r.PyTorch.Median.ToString("N0") : "-")} {r.Unit}; live tensors per epoch {string.Join(" ", r.LiveTensors)}");
        }
        finally
        {
            peer?.Dispose();
            foreach (var c in candidates) c.Peer?.Dispose();
        }
        return r;
    }

    /// <summary>
    /// With more than one peer configuration alive, one trial repetition each (not counted) decides which one runs the
    /// measured repetitions: PyTorch is compared at its faster OpenMP wait policy for this model. The others are closed.
    /// </summary>
    /// <summary>
    /// A pause before each timed repetition (not in smoke runs): the side that just ran leaves worker threads spinning
    /// for a while (OpenBLAS's pthreads in the peer yield-spin about 0.1 s after their last product; libgomp spins
    /// briefly), which slowed the next side by up to 16% (the MLP, hand-written loop right after the peer).
    /// </summary>
    private static void Quiet(BenchOptions? o)
    {
        if (o is { Smoke: true }) return;
        Thread.Sleep(300);
    }

    private static string Label(string? policy) => string.IsNullOrEmpty(policy) ? "OMP_WAIT_POLICY unset (libgomp default)" : $"OMP_WAIT_POLICY={policy}";

    private static PythonPeer? ChoosePeer(List<(string? Policy, PythonPeer? Peer)> candidates, ModelResult r, TimeSpan timeout, TextWriter log)
    {
        var alive = candidates.Where(c => c.Peer is not null).ToList();
        candidates.Clear();
        if (alive.Count == 0) return null;
        if (alive.Count == 1) return alive[0].Peer;
        var trial = new JsonObject();
        (string? Policy, PythonPeer? Peer, double Throughput) best = (null, null, -1);
        foreach (var (policy, candidate) in alive)
        {
            try
            {
                Quiet(null);
                var seconds = candidate!.Run(r.Steps, timeout)["seconds"]!.GetValue<double>();
                var throughput = r.Steps * r.ItemsPerStep / seconds;
                trial[Label(policy)] = SideResult.Round(throughput);
                if (throughput > best.Throughput)
                {
                    best.Peer?.Dispose();
                    best = (policy, candidate, throughput);
                }
                else
                {
                    candidate.Dispose();
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                trial[Label(policy)] = e.Message;
                candidate!.Dispose();
            }
        }
        r.PeerChoice = new JsonObject { ["trialThroughput"] = trial, ["chosen"] = best.Peer is null ? null : Label(best.Policy) };
        log.WriteLine($"  {r.Name}: PyTorch peer trial {trial.ToJsonString()} -> {r.PeerChoice["chosen"]}");
        if (best.Peer is null) r.PyTorch.Error = "every peer configuration failed its trial repetition";
        return best.Peer;
    }

    private static double Counted(SideResult side, int steps, Func<double> run)
    {
        var stats = TorchSharp.DisposeScopeManager.Statistics;
        var before = stats.CreatedInScopeCount + stats.CreatedOutsideScopeCount;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var seconds = run();
        side.CpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        side.TensorsPerStep.Add((stats.CreatedInScopeCount + stats.CreatedOutsideScopeCount - before) / (double)steps);
        return seconds;
    }

    /// <summary>
    /// Objects per step left for the .NET finalizer by a short untimed run: the finalization count of a collection
    /// right after it, with no collection allowed during it (a collection mid-run would take some of them off the
    /// count). Null when the runtime could not promise that.
    /// </summary>
    internal static double? CountFinalizable(Func<int, double> run, int steps)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!GC.TryStartNoGCRegion(200L << 20)) return null;
        var collections = GC.CollectionCount(0);
        try
        {
            run(steps);
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        if (GC.CollectionCount(0) != collections) return null; // the run outgrew the region and a collection ran
        GC.Collect();
        return GC.GetGCMemoryInfo(GCKind.Any).FinalizationPendingCount / (double)steps;
    }

    private static void Record(SideResult side, double seconds, ModelResult r)
    {
        side.Seconds.Add(seconds);
        side.Throughput.Add(r.Steps * r.ItemsPerStep / seconds);
    }

    private static PythonPeer? RunPeer(PythonPeer? peer, ModelResult r, int steps, TimeSpan timeout, TextWriter log, bool record)
    {
        if (peer is null) return null;
        try
        {
            var reply = peer.Run(steps, timeout);
            if (record)
            {
                Record(r.PyTorch, reply["seconds"]!.GetValue<double>(), r);
                if (reply["cpu_seconds"] is JsonNode cpu) r.PyTorch.CpuSeconds.Add(cpu.GetValue<double>());
            }
            return peer;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            r.PyTorch.Error = e.Message;
            log.WriteLine($"  {r.Name}: PyTorch peer failed: {e.Message}");
            peer.Dispose();
            return null;
        }
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
