using System.Globalization;

namespace Benchmarks;

/// <summary>Command-line options of the benchmark program.</summary>
internal sealed record BenchOptions
{
    /// <summary>Sections and models, in run order. Models are run by name; "peak" and "engine" are sections.</summary>
    public static readonly string[] AllModels = ["mlp", "cnn", "lstm", "dotproduct", "gpt", "dcgan", "vae", "dqn", "gcn", "seq2seq", "unet"];

    public static readonly string[] AllSections = ["peak", .. AllModels, "worker-thread", "tokenizer", "engine"];

    public bool Quick { get; set; }

    /// <summary>A seconds-long check of the harness itself (tests): 1 rep of a few steps, no calibration, no engine.</summary>
    public bool Smoke { get; set; }

    public HashSet<string> Only { get; set; } = [.. AllSections];

    public int? Reps { get; set; }

    /// <summary>Run the model benchmarks in this many fresh processes and judge the overhead on their median (<see cref="ProcessRepeats"/>).</summary>
    public int Processes { get; set; } = 1;

    public int Threads { get; set; } = 2;

    /// <summary>Which chapters run (<c>--chapters</c>): quick, full or both modes; null for none.</summary>
    public string? Chapters { get; set; }

    /// <summary>The hosts a chapter can be run in, in the order each notebook runs in them (the course runner first: the reference).</summary>
    public static readonly string[] AllChapterHosts = [ChapterBench.Course, DotNetInteractiveHost.AsRegistered, DotNetInteractiveHost.WithArenaMax];

    /// <summary>The hosts each chapter runs in (<c>--chapter-hosts</c>), in <see cref="AllChapterHosts"/> order.</summary>
    public IReadOnlyList<string> ChapterHosts { get; set; } = [ChapterBench.Course];

    /// <summary>Only the notebooks whose file name starts with one of these (<c>--chapter-only 01,04</c>); empty for all.</summary>
    public IReadOnlyList<string> ChapterOnly { get; set; } = [];

    /// <summary>The folder of notebooks (<c>--chapter-dir</c>); null for the repository's <c>notebooks/</c>.</summary>
    public string? ChapterDirectory { get; set; }

    /// <summary>The <c>dotnet-interactive</c> executable given to the driver (<c>--dotnet-interactive</c>); null for the driver's default.</summary>
    public string? DotNetInteractiveTool { get; set; }

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
          --only A,B,...       run only these: peak, mlp, cnn, lstm, dotproduct, gpt, dcgan, vae, dqn, gcn, seq2seq, unet, worker-thread
                               (chapter 04's LSTM on the first thread and on a fresh one, with page faults), tokenizer
                               (chapter 12's GPT-2 encoder against Microsoft.ML.Tokenizers on a megabyte), engine
                               (--only chapters: none of them, only what --chapters asks for)
          --reps N             measured repetitions per side (default 7, quick 3), after warm-ups
          --processes N        run the models in N fresh processes, one after the other, and report each
                               model's Trainer overhead as the median over them (a process's memory layout
                               favours one side for its whole run: the dot product ranged -16%..+14% in one)
          --threads N          intra-op threads for TorchSharp and PyTorch alike (default 2)
          --chapters quick|full|both  also run every notebook through NotebookRunner and record its
                               wall time and peak resident memory (default: off; full takes long)
          --chapter-hosts A,B  the hosts each chapter runs in, one after the other: course (NotebookRunner run,
                               the default), dotnet-interactive (Microsoft's .NET Interactive kernel as
                               `dotnet interactive jupyter install` registers it, through tests/realkernel/run_notebook.py),
                               dotnet-interactive-arena1 (the same with MALLOC_ARENA_MAX=1 in its kernel spec);
                               each other host is compared with course: wall-time ratio, learned metrics agree
          --chapter-only A,B   only the notebooks whose file name starts with one of these (e.g. 01,04)
          --chapter-dir DIR    the folder of notebooks (default notebooks/)
          --dotnet-interactive PATH  the dotnet-interactive tool (default: on PATH, else ~/.dotnet/tools)
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
          --python PATH        interpreter with Debian's python3-torch, and python3-nbclient for the
                               dotnet-interactive chapter hosts (default /usr/bin/python3)
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
                        var unknown = names.Where(n => !AllSections.Contains(n) && n != "chapters").ToArray();
                        if (unknown.Length > 0) throw new ArgumentException($"unknown in --only: {string.Join(", ", unknown)} (known: {string.Join(", ", AllSections)})");
                        o.Only = [.. names];
                        break;
                    case "--reps":
                        o.Reps = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--processes":
                        o.Processes = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (o.Processes < 1) throw new ArgumentException("--processes takes a count of at least 1");
                        break;
                    case "--threads":
                        o.Threads = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--chapters":
                        o.Chapters = Next();
                        if (o.Chapters is not ("quick" or "full" or "both")) throw new ArgumentException("--chapters takes quick, full or both");
                        break;
                    case "--chapter-hosts":
                        var hosts = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        var strange = hosts.Where(h => !AllChapterHosts.Contains(h)).ToArray();
                        if (hosts.Length == 0 || strange.Length > 0)
                            throw new ArgumentException($"unknown in --chapter-hosts: {string.Join(", ", strange)} (known: {string.Join(", ", AllChapterHosts)})");
                        o.ChapterHosts = [.. AllChapterHosts.Where(hosts.Contains)];
                        break;
                    case "--chapter-only":
                        o.ChapterOnly = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        break;
                    case "--chapter-dir":
                        o.ChapterDirectory = Next();
                        break;
                    case "--dotnet-interactive":
                        o.DotNetInteractiveTool = Next();
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
        if (o.Chapters is null && args.Any(a => a is "--chapter-hosts" or "--chapter-only" or "--chapter-dir" or "--dotnet-interactive"))
        {
            output.WriteLine("--chapter-hosts, --chapter-only, --chapter-dir and --dotnet-interactive need --chapters quick|full|both");
            output.WriteLine(Help);
            return null;
        }
        if (o.Processes > 1 && o.Chapters is not null)
        {
            output.WriteLine("--processes repeats the models only; run --chapters in a separate run");
            output.WriteLine(Help);
            return null;
        }
        return o;
    }
}
