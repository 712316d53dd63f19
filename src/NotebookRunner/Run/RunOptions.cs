using System.Globalization;

namespace NotebookRunner.Run;

/// <summary>Options of <c>run</c> (and of the hidden per-notebook child command).</summary>
internal sealed record RunOptions
{
    public List<string> Inputs { get; } = [];

    public string Output { get; set; } = Path.Combine("artifacts", "executed");

    public string? Report { get; set; }

    public TimeSpan? Timeout { get; set; }

    public int Jobs { get; set; } = 1;

    public bool InProcess { get; set; }

    /// <summary>Where to render the static site after the run (<c>--render</c> / <c>--site DIR</c>); null: no site.</summary>
    public string? Site { get; set; }

    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    public const string Help = """
        usage: NotebookRunner run <notebooks or folders...> [options]

          -o, --output DIR       where executed copies go (default artifacts/executed); a folder
                                 argument keeps its relative layout, a file argument its file name;
                                 .dib inputs are written as .ipynb (with outputs)
          -p, --parameter N=V    papermill parameter (repeatable), typed like the declaration in
                                 the cell tagged `parameters`
          --timeout SECONDS      per-cell time limit (status `timeout`)
          -j, --jobs N           notebooks in parallel, each in its own process (default 1)
          --report FILE          write a JSON report (status, seconds, cells, failedCell, error, metrics)
          --in-process           run notebooks inside this process (no crash isolation)
          --render               then render the executed notebooks into a static site in
                                 artifacts/site (report defaults to artifacts/report.json)
          --site DIR             like --render, into DIR

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
                        o.Timeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
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
                    case "-p" or "--parameter":
                        var pair = Next();
                        var eq = pair.IndexOf('=');
                        if (eq <= 0)
                            throw new ArgumentException($"parameter '{pair}' is not name=value");
                        o.Parameters.Add(new(pair[..eq].Trim(), pair[(eq + 1)..]));
                        break;
                    case var s when s.StartsWith('-'):
                        throw new ArgumentException($"unknown option {s}");
                    default:
                        o.Inputs.Add(args[i]);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
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
