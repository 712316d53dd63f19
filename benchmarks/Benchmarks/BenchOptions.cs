using System.Globalization;

namespace Benchmarks;

/// <summary>Command-line options of the benchmark program.</summary>
internal sealed record BenchOptions
{
    /// <summary>Sections and models, in run order. Models are run by name; "peak" and "engine" are sections.</summary>
    public static readonly string[] AllModels = ["mlp", "cnn", "lstm", "dotproduct", "gpt", "dcgan"];

    public static readonly string[] AllSections = ["peak", .. AllModels, "engine"];

    public bool Quick { get; set; }

    /// <summary>A seconds-long check of the harness itself (tests): 1 rep of a few steps, no calibration, no engine.</summary>
    public bool Smoke { get; set; }

    public HashSet<string> Only { get; set; } = [.. AllSections];

    public int? Reps { get; set; }

    public int Threads { get; set; } = 2;

    public string? Chapters { get; set; }

    public bool PyTorch { get; set; } = true;

    /// <summary>Leave glibc's malloc at its defaults on both sides (the library tunes it in Course.Setup; the peer gets the same settings through MALLOC_* variables).</summary>
    public bool DefaultMalloc { get; set; }

    /// <summary>
    /// The hand-written loops use the course's optimizers (<c>Optimizers.*</c>, as the library does) instead of
    /// TorchSharp's stock ones, so the Trainer-vs-hand comparison measures the loop alone.
    /// </summary>
    public bool HandCourseOptimizer { get; set; }

    public string Python { get; set; } = "/usr/bin/python3";

    /// <summary>Extra NAME=VALUE settings for the peer's environment (--peer-env), applied last.</summary>
    public Dictionary<string, string> PeerEnvironmentOverrides { get; } = [];

    /// <summary>
    /// The OpenMP wait policies the PyTorch peer is tried with, per model; the faster in a trial repetition is kept.
    /// "" is libgomp's default (spin briefly, then sleep). Not ACTIVE: an idle ACTIVE peer spins without end and
    /// would slow the C# sides it alternates with.
    /// Debian's torch has two thread pools (OpenMP for its own kernels, OpenBLAS's pthreads for matrix products):
    /// with OpenMP's default spinning they fight over the cores (the MLP step 27 ms instead of 7.6 ms), while
    /// PASSIVE costs wake-up latency on models made of many small ops (the dot-product model). A single
    /// --peer-env OMP_WAIT_POLICY=... fixes it instead.
    /// </summary>
    public IReadOnlyList<string> PeerWaitPolicies =>
        PeerEnvironmentOverrides.ContainsKey("OMP_WAIT_POLICY") ? [] : ["", "PASSIVE"];

    /// <summary>
    /// The PyTorch peer's environment settings: the thread budget for torch's OpenMP pool and OpenBLAS's own
    /// pthread pool, the library's malloc thresholds (unless --default-malloc), then --peer-env overrides.
    /// An empty value removes the variable.
    /// </summary>
    public IReadOnlyDictionary<string, string> PeerEnvironment
    {
        get
        {
            var threads = Threads.ToString(CultureInfo.InvariantCulture);
            var env = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads, ["OPENBLAS_NUM_THREADS"] = threads };
            foreach (var (name, value) in DeepLearning.Course.Platform.NativeAllocator.ChildEnvironment) env[name] = DefaultMalloc ? "" : value;
            foreach (var (name, value) in PeerEnvironmentOverrides) env[name] = value;
            return env;
        }
    }

    public string? OutputDirectory { get; set; }

    /// <summary>Measured repetitions per side (after one warm-up that is not counted).</summary>
    public int Repetitions => Reps ?? (Smoke ? 1 : Quick ? 3 : 7);

    /// <summary>Target wall time of one repetition of one side; the step count is calibrated to it.</summary>
    public double TargetSeconds => Quick ? 0.6 : 1.5;

    public const string Help = """
        usage: dotnet run --project benchmarks/Benchmarks -c Release -- [options]

          --quick              fewer, shorter repetitions (about 3 minutes instead of about 10)
          --only A,B,...       run only these: peak, mlp, cnn, lstm, dotproduct, gpt, dcgan, engine
          --reps N             measured repetitions per side (default 7, quick 3), after warm-ups
          --threads N          intra-op threads for TorchSharp and PyTorch alike (default 2)
          --chapters quick|full|both  also run every notebook through NotebookRunner and record its
                               wall time and peak resident memory (default: off; full takes long)
          --no-pytorch         skip the PyTorch peer (C# sides only)
          --hand-optimizer stock|course  the hand-written loops' optimizers: TorchSharp's own (default, as a
                               TorchSharp user writes it) or the course's (as the library uses; the overhead
                               column then measures the Trainer's loop alone)
          --default-malloc     keep glibc's malloc defaults on both sides instead of the course's tuning
                               (NativeAllocator: no separate mmaps, 256 MiB trim threshold)
          --peer-env NAME=VALUE  set (or, with an empty value, remove) a variable in the PyTorch peer's
                               environment; repeatable. By default each model's peer is tried with
                               libgomp's default wait policy and OMP_WAIT_POLICY=PASSIVE and the faster is kept; setting
                               OMP_WAIT_POLICY here uses that one only
          --python PATH        interpreter with Debian's python3-torch (default /usr/bin/python3)
          --output DIR         where the JSON goes (default artifacts/bench)
          --smoke              harness self-check: 1 rep of a few steps, no engine (used by the tests)

        Writes DIR/<timestamp>-<commit>.json and DIR/latest.json and prints a table.
        """;

    /// <summary>Parses arguments; null (after printing why) when they are wrong or help was asked.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, TextWriter output)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "-h" or "--help":
                        output.WriteLine(Help);
                        return null;
                    case "--quick":
                        o.Quick = true;
                        break;
                    case "--smoke":
                        o.Smoke = true;
                        o.Quick = true;
                        break;
                    case "--only":
                        var names = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        var unknown = names.Where(n => !AllSections.Contains(n)).ToArray();
                        if (unknown.Length > 0) throw new ArgumentException($"unknown in --only: {string.Join(", ", unknown)} (known: {string.Join(", ", AllSections)})");
                        o.Only = [.. names];
                        break;
                    case "--reps":
                        o.Reps = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--threads":
                        o.Threads = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--chapters":
                        o.Chapters = Next();
                        if (o.Chapters is not ("quick" or "full" or "both")) throw new ArgumentException("--chapters takes quick, full or both");
                        break;
                    case "--default-malloc":
                        o.DefaultMalloc = true;
                        break;
                    case "--hand-optimizer":
                        o.HandCourseOptimizer = Next() switch
                        {
                            "course" => true,
                            "stock" => false,
                            var other => throw new ArgumentException($"--hand-optimizer takes stock or course, not '{other}'"),
                        };
                        break;
                    case "--no-pytorch":
                        o.PyTorch = false;
                        break;
                    case "--peer-env":
                        var setting = Next();
                        var eq = setting.IndexOf('=');
                        if (eq <= 0) throw new ArgumentException($"--peer-env takes NAME=VALUE, not '{setting}'");
                        o.PeerEnvironmentOverrides[setting[..eq]] = setting[(eq + 1)..];
                        break;
                    case "--python":
                        o.Python = Next();
                        break;
                    case "--output":
                        o.OutputDirectory = Next();
                        break;
                    default:
                        throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                output.WriteLine(e.Message);
                output.WriteLine(Help);
                return null;
            }
        }
        return o;
    }
}
