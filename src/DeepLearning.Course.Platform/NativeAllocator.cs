using System.Runtime.InteropServices;

namespace DeepLearning.Course.Platform;

/// <summary>What <see cref="NativeAllocator.Configure()"/> found and did.</summary>
public enum NativeAllocatorStatus
{
    /// <summary>Not called yet.</summary>
    NotConfigured,
    /// <summary>glibc's malloc now keeps freed tensor memory for reuse (the thresholds in <see cref="NativeAllocator"/>).</summary>
    Tuned,
    /// <summary>Left at glibc's defaults because <c>DLCOURSE_MALLOC=default</c> asked for it.</summary>
    Disabled,
    /// <summary>Not Linux with glibc (Windows, macOS, musl): nothing to tune, nothing done.</summary>
    NotApplicable,
    /// <summary>glibc refused a setting (<c>mallopt</c> returned 0); its defaults stay.</summary>
    Failed,
}

/// <summary>
/// Keeps libtorch's CPU tensor memory in the process between training steps instead of handing it back to the
/// kernel after every step. libtorch allocates tensors with glibc's <c>malloc</c>; glibc serves large blocks with
/// fresh <c>mmap</c>s (above an adaptive threshold of at most 32 MiB) and unmaps them on <c>free</c>, and trims the
/// heap top above its trim threshold, so a training loop that frees and re-allocates the same activations every
/// step page-faults through all of that memory again each step.
/// </summary>
/// <remarks>
/// <para>Found profiling the course's reference models (README "Speed"), on the course's 2-core Linux VM: a 1-channel
/// 3×3 convolution on chapter 03's 128-image batch took 54 ms with glibc's defaults and 0.67 ms tuned (the whole
/// CNN training step about 140 ms → 45 ms); chapter 04's <c>nn.LSTM</c> (64 sequences × 64 steps, hidden 256)
/// took 204 ms forward + backward with the defaults, still 204 ms with only the thresholds raised (its oneDNN
/// workspace is above 32 MiB), and 29 ms with separate mappings switched off. Debian's PyTorch 1.13 showed the
/// same convolution at 57 ms → 0.67 ms. How much a machine gains depends on what a page fault costs there (a lot in
/// virtual machines); the course's benchmark (<c>benchmarks/Benchmarks</c>, <c>--default-malloc</c>) measures both.</para>
/// <para>The advice PyTorch's CPU performance guides give (use jemalloc or tcmalloc, or tune glibc), done with
/// glibc's own <c>mallopt</c> so nothing has to be preloaded: <c>M_MMAP_MAX</c> = 0 (no block gets its own
/// mapping; all come from the heap and are reused; glibc still maps blocks above 64 MiB requested from threads
/// other than the process's first, which have 64 MiB heaps), <c>M_MMAP_THRESHOLD</c> = 32 MiB (glibc's largest, in case
/// mappings are re-enabled) and <c>M_TRIM_THRESHOLD</c> = 256 MiB (up to that much free memory at the heap top
/// stays in the process). The cost: freed memory is mostly kept for reuse rather than returned, so a process
/// stays near its peak resident size (the peak itself is what the benchmark's chapter runs report). With large
/// buffers in the heap, small native objects that outlive a step fragment it: TorchSharp's scalars, freed only by
/// the .NET finalizer, grew a hand-written LSTM loop with stock <c>optim.Adam</c> by ~50 MiB per step. The course's
/// optimizers (<c>DeepLearning.Course.Training.CourseAdam</c>) and loss reads dispose theirs; README "Speed" has the numbers.</para>
/// <para>Threads: <c>mallopt</c> cannot change how many heaps glibc keeps once a process runs; code that trains on
/// a thread other than the process's first needs <c>MALLOC_ARENA_MAX=1</c> from the start (<see cref="StartupEnvironment"/>).</para>
/// <para><c>Course.Setup</c> calls it through <see cref="NativeHost.Prepare"/>; a process that uses the library without the
/// setup cell can call <see cref="Configure()"/> itself. Set <c>DLCOURSE_MALLOC=default</c> to keep glibc's defaults.</para>
/// </remarks>
public static class NativeAllocator
{
    /// <summary>Environment variable that keeps glibc's defaults when set to <c>default</c> (or off, 0, false, no).</summary>
    public const string SwitchVariable = "DLCOURSE_MALLOC";

    /// <summary>Blocks at least this large are mapped and unmapped per allocation (glibc's largest allowed value).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the top of the heap beyond this is handed back to the kernel.</summary>
    public const int TrimThresholdBytes = 256 << 20;

    /// <summary>How many blocks glibc may map separately: none, so blocks above the mmap threshold (an LSTM's workspace) are reused too.</summary>
    public const int MmapMax = 0;

    private const int MTrimThreshold = -1;   // glibc malloc.h
    private const int MMmapThreshold = -3;
    private const int MMmapMax = -4;

    private static readonly object Gate = new();

    /// <summary>What the last <see cref="Configure()"/> call found and did.</summary>
    public static NativeAllocatorStatus Status { get; private set; } = NativeAllocatorStatus.NotConfigured;

    /// <summary>
    /// The one setting glibc reads only when a process starts: <c>MALLOC_ARENA_MAX=1</c>, one heap for every thread.
    /// Without it, a thread other than the process's first allocates from its own 64 MiB sub-heaps, which glibc
    /// unmaps as soon as they are empty, so tensors churned on a worker thread page-fault again every step whatever
    /// <see cref="Configure()"/> set (an <c>nn.LSTM</c> forward + backward on a worker thread measured 5x slower than
    /// on the main thread, and 1.7x with this set; both under load). The notebook engine runs cells on worker
    /// threads, so the runner starts its notebook processes with this and the course's kernel spec sets it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> StartupEnvironment { get; } = new Dictionary<string, string>
    {
        ["MALLOC_ARENA_MAX"] = "1",
    };

    /// <summary>
    /// The same settings as environment variables glibc reads at process start, for child processes that do not
    /// load this library (the benchmark's PyTorch peer): <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_MMAP_MAX_</c>,
    /// <c>MALLOC_TRIM_THRESHOLD_</c>, and <see cref="StartupEnvironment"/>.
    /// </summary>
    /// <remarks>Declared after <see cref="StartupEnvironment"/>: static initializers run in textual order.</remarks>
    public static IReadOnlyDictionary<string, string> ChildEnvironment { get; } = new Dictionary<string, string>(StartupEnvironment)
    {
        ["MALLOC_MMAP_THRESHOLD_"] = MmapThresholdBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MALLOC_MMAP_MAX_"] = MmapMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MALLOC_TRIM_THRESHOLD_"] = TrimThresholdBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Adds <see cref="StartupEnvironment"/> to the environment of a process about to be started, keeping any value
    /// already there; nothing when <c>DLCOURSE_MALLOC=default</c> is set (in <paramref name="environment"/> or this process).
    /// </summary>
    /// <param name="environment">A <c>ProcessStartInfo.Environment</c>.</param>
    public static void AddStartupEnvironment(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var switchValue = environment.TryGetValue(SwitchVariable, out var v) ? v : Environment.GetEnvironmentVariable(SwitchVariable);
        if (IsOff(switchValue)) return;
        foreach (var (name, value) in StartupEnvironment)
            if (!environment.TryGetValue(name, out var existing) || string.IsNullOrEmpty(existing)) environment[name] = value;
    }

    /// <summary>One short phrase for banners and benchmark reports, e.g. <c>malloc tuned</c>.</summary>
    public static string Describe() => Status switch
    {
        NativeAllocatorStatus.Tuned => "malloc tuned",
        NativeAllocatorStatus.Disabled => $"malloc default ({SwitchVariable})",
        NativeAllocatorStatus.Failed => "malloc default (mallopt refused)",
        NativeAllocatorStatus.NotApplicable => "malloc default (not glibc)",
        _ => "malloc default",
    };

    /// <summary>
    /// Applies the thresholds to this process's glibc malloc (see the class remarks). Safe to call repeatedly and
    /// at any time; tensors allocated afterwards benefit. Honors <c>DLCOURSE_MALLOC=default</c>.
    /// </summary>
    /// <returns>What was found and done (also in <see cref="Status"/>).</returns>
    public static NativeAllocatorStatus Configure() => Configure(Environment.GetEnvironmentVariable(SwitchVariable));

    /// <summary><see cref="Configure()"/> with the switch's value given (tests).</summary>
    internal static NativeAllocatorStatus Configure(string? switchValue)
    {
        lock (Gate)
        {
            if (IsOff(switchValue)) return Status = NativeAllocatorStatus.Disabled;
            if (!IsGlibc()) return Status = NativeAllocatorStatus.NotApplicable;
            var ok = mallopt(MMmapThreshold, MmapThresholdBytes) == 1
                   & mallopt(MMmapMax, MmapMax) == 1
                   & mallopt(MTrimThreshold, TrimThresholdBytes) == 1;
            return Status = ok ? NativeAllocatorStatus.Tuned : NativeAllocatorStatus.Failed;
        }
    }

    /// <summary>
    /// A line for the setup cell when the tuning cannot reach the thread it runs on: glibc, tuned, a thread other than the
    /// process's first (Microsoft's .NET Interactive runs every cell on one such thread) and <c>MALLOC_ARENA_MAX</c> not 1.
    /// Such a thread allocates from a glibc arena of its own, whose heaps are at most 64 MiB, so a larger block is mapped
    /// afresh at every step: chapter 04's LSTM step measured about 18,000 page faults on such a thread against 18 on the
    /// first one (the benchmark's <c>--only worker-thread</c>). No call made at run time changes a thread's arena
    /// (<c>mallopt(M_ARENA_MAX)</c> bounds only arenas created later; <c>M_TOP_PAD</c>, which keeps a thread's heaps, did not
    /// change the count), so the note says how to start the kernel with the setting. Empty when none of this applies.
    /// </summary>
    /// <returns>The note, or an empty string.</returns>
    public static string WorkerThreadNote() =>
        WorkerThreadNote(Status, IsGlibc() && !OnFirstThread(), Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"));

    /// <summary><see cref="WorkerThreadNote()"/> with what it looks at given (tests).</summary>
    internal static string WorkerThreadNote(NativeAllocatorStatus status, bool onOtherThread, string? arenaMax) =>
        status == NativeAllocatorStatus.Tuned && onOtherThread && arenaMax?.Trim() != "1"
            ? "Note: this host runs cells on a thread other than the process's first, and MALLOC_ARENA_MAX is not 1, so training "
              + "steps that need blocks above 64 MiB (chapter 04's LSTM) map fresh memory every step and can run up to 2x slower. "
              + "Add \"env\": {\"MALLOC_ARENA_MAX\": \"1\"} to this kernel's kernel.json (`jupyter kernelspec list` shows where) "
              + "and restart the kernel; the course's README, \"Speed in .NET Interactive\", explains why."
            : "";

    /// <summary>True when the calling OS thread is the process's first (its thread id equals the process id); true off Linux.</summary>
    internal static bool OnFirstThread()
    {
        if (!OperatingSystem.IsLinux()) return true;
        try { return gettid() == Environment.ProcessId; }
        catch (EntryPointNotFoundException) { return true; } // glibc before 2.30: no note rather than a wrong one
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int gettid();

    private static bool IsOff(string? value) =>
        value?.Trim().ToLowerInvariant() is "default" or "off" or "0" or "false" or "no";

    /// <summary>True on Linux when the C library is glibc (it exports <c>gnu_get_libc_version</c>).</summary>
    internal static bool IsGlibc()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)) return false;
        return NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
            && NativeLibrary.TryGetExport(libc, "mallopt", out _);
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);
}
