using System.Diagnostics;
using System.Reflection;
using DeepLearning.Course.Formatting;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course;

/// <summary>
/// Device choice, reproducibility and the one-line setup every chapter runs first
/// (d2l's <c>d2l.try_gpu()</c> and seeding, in one place).
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): the setup cell calls <see cref="Setup"/>.</remarks>
public static class Course
{
    private static readonly object Gate = new();
    private static Random _random = new(0);
    private static int _seed;

    /// <summary>The device chapters train on: CUDA when <c>torch.cuda.is_available()</c>, else the CPU.</summary>
    public static Device Device => cuda.is_available() ? CUDA : CPU;

    /// <summary>The seed most recently passed to <see cref="Seed"/> (0 until then).</summary>
    public static int CurrentSeed => _seed;

    /// <summary>
    /// The library-wide .NET random generator, reseeded by <see cref="Seed"/>. Data shuffling and any
    /// other .NET-side randomness in the library draws from it, so one seed makes a run repeatable.
    /// </summary>
    public static Random Random
    {
        get { lock (Gate) { return _random; } }
    }

    /// <summary>
    /// Seeds everything random the course touches: torch (CPU and every CUDA device), the
    /// library-wide <see cref="Random"/> (data shuffling) and <see cref="CurrentSeed"/>.
    /// </summary>
    /// <param name="seed">The seed; the same seed gives the same weights, batches and results.</param>
    public static void Seed(int seed)
    {
        lock (Gate)
        {
            _seed = seed;
            _random = new Random(seed);
        }
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    /// <summary>Sets the number of CPU threads torch uses for intra-op parallelism.</summary>
    /// <param name="threads">A positive thread count.</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
    }

    /// <summary>The number of CPU threads torch currently uses.</summary>
    public static int Threads => get_num_threads();

    /// <summary>What the host setup found and did, once <see cref="Setup"/> has run.</summary>
    private static Platform.NativeHostReport? s_host;

    /// <summary>
    /// The one call in every chapter's setup cell: makes TorchSharp loadable and tunes the native memory
    /// allocator for training loops (<see cref="Platform.NativeHost.Prepare"/>), registers the
    /// notebook formatters (charts, tensors, data frames, histories, metrics), seeds everything,
    /// optionally sets the thread count, and prints one banner line (see <see cref="Banner"/>).
    /// </summary>
    /// <param name="seed">Seed passed to <see cref="Seed"/>.</param>
    /// <param name="threads">CPU thread count for torch; <c>null</c> keeps torch's default.</param>
    public static void Setup(int seed = 0, int? threads = null)
    {
        // Before the first torch call: TorchSharp's native library made loadable, glibc's allocator tuned.
        s_host = Platform.NativeHost.Prepare();
        if (s_host.Summary.Length > 0) Console.WriteLine(s_host.Summary);

        Formatters.Register();
        Seed(seed);
        if (threads is int n) SetThreads(n);
        Console.WriteLine(Banner());
    }

    /// <summary>
    /// The banner line the setup cell prints: library version, TorchSharp and libtorch versions,
    /// device (with the GPU name on CUDA), thread count, seed and the allocator's state as <see cref="Setup"/> left it.
    /// </summary>
    /// <returns>One line, for example
    /// <c>DeepLearning.Course 0.1.0 | TorchSharp 0.107.0 (libtorch 2.10.0) | device cpu | 2 threads | seed 0 | malloc tuned</c>.</returns>
    public static string Banner()
    {
        var torchSharp = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion.Split('+')[0] ?? typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        string libtorch;
        try { libtorch = string.Join('.', __version__.Split('.').Take(3)); }
        catch (Exception) { libtorch = "?"; }
        var device = cuda.is_available() ? $"cuda ({GpuName() ?? $"{cuda.device_count()} device(s)"})" : "cpu";
        return $"DeepLearning.Course {CourseInfo.Version} | TorchSharp {torchSharp} (libtorch {libtorch}) | device {device} | {Threads} threads | seed {CurrentSeed} | {s_host?.Allocator ?? "host not prepared (call Course.Setup)"}";
    }

    /// <summary>The first GPU's name from <c>nvidia-smi</c>, or <c>null</c> when it cannot be read.</summary>
    private static string? GpuName()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var name = process.StandardOutput.ReadLine();
            process.WaitForExit(5000);
            return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        }
        catch (Exception)
        {
            return null;
        }
    }
}
