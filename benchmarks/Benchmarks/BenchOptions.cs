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

    public string Python { get; set; } = "/usr/bin/python3";

    public string? OutputDirectory { get; set; }

    /// <summary>Measured repetitions per side (after one warm-up that is not counted).</summary>
    public int Repetitions => Reps ?? (Smoke ? 1 : Quick ? 3 : 5);

    /// <summary>Target wall time of one repetition of one side; the step count is calibrated to it.</summary>
    public double TargetSeconds => Quick ? 0.6 : 1.5;

    public const string Help = """
        usage: dotnet run --project benchmarks/Benchmarks -c Release -- [options]

          --quick              fewer, shorter repetitions (about 3 minutes instead of about 10)
          --only A,B,...       run only these: peak, mlp, cnn, lstm, dotproduct, gpt, dcgan, engine
          --reps N             measured repetitions per side (default 5, quick 3); one warm-up more
          --threads N          intra-op threads for TorchSharp and PyTorch alike (default 2)
          --chapters quick|full  also run every notebook through NotebookRunner and record its wall
                               time and peak resident memory (default: off; full takes long)
          --no-pytorch         skip the PyTorch peer (C# sides only)
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
                        if (o.Chapters is not ("quick" or "full")) throw new ArgumentException("--chapters takes quick or full");
                        break;
                    case "--no-pytorch":
                        o.PyTorch = false;
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
