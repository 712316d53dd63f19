using System.Globalization;

namespace NotebookRunner.Run;

/// <summary>Options of <c>run</c> (and of the hidden per-notebook child command).</summary>
internal sealed record RunOptions
{
    public List<string> Inputs { get; } = [];

    public string Output { get; set; } = Path.Combine("artifacts", "executed");

    public string? Report { get; set; }

    /// <summary>The per-cell time limit a run has unless <c>--timeout</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public TimeSpan? Timeout { get; set; } = DefaultTimeout;

    public int Jobs { get; set; } = 1;

    public bool InProcess { get; set; }

    /// <summary>Where to render the static site after the run (<c>--render</c> / <c>--site DIR</c>); null: no site.</summary>
    public string? Site { get; set; }

    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>
    /// <c>--solutions DIR</c>: run each notebook with its exercise starters replaced by the solutions in
    /// <c>DIR/&lt;same file name&gt;</c> (<see cref="Run.Solutions"/>); null: run the starters as they are.
    /// </summary>
    public string? Solutions { get; set; }

    public const string Help = """
        usage: NotebookRunner run <notebooks or folders...> [options]

          -o, --output DIR       where executed copies go (default artifacts/executed); a folder
                                 argument keeps its relative layout, a file argument its file name;
                                 .dib inputs are written as .ipynb (with outputs). An executed copy
                                 never replaces a source notebook or a file that is not an executed
                                 copy; two inputs that map to one copy (x.dib beside x.ipynb) fail
          -p, --parameter N=V    papermill parameter (repeatable, each name once; N a C# identifier),
                                 typed like the declaration in the cell tagged `parameters`; an
                                 executed notebook run again gets its injected cell replaced
          --timeout SECONDS      per-cell time limit (status `timeout`); default 1800 (30 min),
                                 0 for none
          -j, --jobs N           notebooks in parallel, each in its own process (default 1)
          --report FILE          write a JSON report (status, seconds, cells, failedCell, error, metrics,
                                 exercises: each checked exercise's id, title, solved, message)
          --solutions DIR        run each notebook with its exercises solved: every starter cell
                                 (metadata dlcourse.exercise = "NN.k") gets the code of the cell with
                                 the same id in DIR/<same file name>, in memory (the source is never
                                 modified); an exercise without a solution, or a solution without an
                                 exercise, fails that notebook before it runs, naming the id. Executed
                                 copies are named NN-x.solved.ipynb (never the starter run's copy)
          --in-process           run notebooks inside this process (no crash isolation)
          --render               then render the executed notebooks into a static site in
                                 artifacts/site (report defaults to artifacts/report.json)
          --site DIR             like --render, into DIR

        Cells run with stdin closed (Console.ReadLine() returns null); processes a cell starts are
        ended with its notebook. A stream output keeps its first and last 10,000 lines; the lines
        between are replaced by "... output truncated: N lines not shown ...".
        A notebook that cannot be read or written is reported as failed (naming the file and the
        cause) and the others run; an unwritable --report or --site fails before anything runs.
        Exit code 0 iff every notebook passed.
        """;

    /// <summary>Parses arguments; returns null (after printing why) when they are wrong.</summary>
    public static RunOptions? Parse(string[] args, bool requireInputs = true)
    {
        var o = new RunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "-h" or "--help":
                        Console.WriteLine(Help);
                        return null;
                    case "-o" or "--output":
                        o.Output = Next();
                        break;
                    case "--report":
                        o.Report = Next();
                        break;
                    case "--timeout":
                        var seconds = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(365).TotalSeconds)
                            throw new ArgumentException($"--timeout {seconds} is not a number of seconds between 0 (none) and a year");
                        o.Timeout = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
                        break;
                    case "-j" or "--jobs":
                        o.Jobs = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--in-process":
                        o.InProcess = true;
                        break;
                    case "--render":
                        o.Site ??= Path.Combine("artifacts", "site");
                        break;
                    case "--site":
                        o.Site = Next();
                        break;
                    case "--solutions":
                        o.Solutions = Next();
                        break;
                    case "-p" or "--parameter":
                        var pair = Next();
                        var eq = pair.IndexOf('=');
                        if (eq <= 0)
                            throw new ArgumentException($"parameter '{pair}' is not name=value");
                        var name = pair[..eq].Trim();
                        NotebookEngine.Execution.Parameters.ValidateName(name);
                        if (o.Parameters.Any(p => p.Key == name))
                            throw new ArgumentException($"parameter {name} is given twice (-p {name}=...); give each parameter once");
                        o.Parameters.Add(new(name, pair[(eq + 1)..]));
                        break;
                    case var s when s.StartsWith('-'):
                        throw new ArgumentException($"unknown option {s}");
                    default:
                        o.Inputs.Add(args[i]);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"run: {e.Message}\n\n{Help}");
                return null;
            }
        }
        if (o.Site is not null)
            o.Report ??= Path.Combine("artifacts", "report.json");
        if (requireInputs && o.Inputs.Count == 0)
        {
            Console.Error.WriteLine($"run: no notebooks given\n\n{Help}");
            return null;
        }
        return o;
    }
}
