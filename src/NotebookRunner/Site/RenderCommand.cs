namespace NotebookRunner.Site;

/// <summary>
/// <c>render &lt;executed notebooks or folders…&gt; [--report report.json] [--output artifacts/site] [--title "…"]</c>:
/// turns executed notebooks into the static site. Defaults: input <c>artifacts/executed</c>, output
/// <c>artifacts/site</c>, report <c>artifacts/report.json</c> when it exists.
/// </summary>
public static class RenderCommand
{
    public const string Usage =
        "usage: render [executed notebooks or folders…] [--report report.json] [--output artifacts/site] [--title \"Course title\"]";

    /// <summary>Runs the command; returns 0 on success, 1 when rendering failed, 2 on a usage error.</summary>
    public static int Run(string[] args)
    {
        var inputs = new List<string>();
        string? report = null;
        var output = Path.Combine("artifacts", "site");
        var title = SiteRenderer.DefaultTitle;
        var rest = args.SkipWhile((a, i) => i == 0 && a == "render").ToArray();
        for (var i = 0; i < rest.Length; i++)
        {
            var option = rest[i];
            if (option is "--report" or "--output" or "--title")
            {
                if (i + 1 >= rest.Length)
                    return UsageError($"{option} needs a value");
                var value = rest[++i];
                if (option == "--report") report = value;
                else if (option == "--output") output = value;
                else title = value;
            }
            else if (option is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }
            else if (option.StartsWith('-'))
                return UsageError($"unknown option {option}");
            else
                inputs.Add(option);
        }
        if (inputs.Count == 0)
            inputs.Add(Path.Combine("artifacts", "executed"));
        var defaultReport = Path.Combine("artifacts", "report.json");
        report ??= File.Exists(defaultReport) ? defaultReport : null;

        return Render(() =>
        {
            var notebooks = ExpandInputs(inputs);
            if (notebooks.Count == 0)
                throw new InvalidDataException($"no executed notebooks (*.ipynb) in {string.Join(", ", inputs)}");
            return (notebooks, report is null ? null : RunReport.Load(report));
        }, output, title);
    }

    /// <summary>
    /// Renders the site (what <c>render</c> and <c>run --render</c> both do): says where it went, or why it failed
    /// with the previous site left unchanged.
    /// </summary>
    /// <param name="inputs">The executed notebooks and the report (or null); read inside, so their errors are reported too.</param>
    /// <param name="output">The site's folder.</param>
    /// <param name="title">The site's title.</param>
    /// <returns>0 on success, 1 when rendering failed.</returns>
    public static int Render(Func<(IReadOnlyList<string> Notebooks, RunReport? Report)> inputs, string output, string title = SiteRenderer.DefaultTitle)
    {
        try
        {
            var (notebooks, report) = inputs();
            new SiteRenderer(title).Render(notebooks, report, output);
            Console.WriteLine($"Rendered {notebooks.Count} notebook(s) to {Path.Combine(output, "index.html")}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"render failed, {output} left unchanged: {e.Message}");
            return 1;
        }
    }

    private static List<string> ExpandInputs(IEnumerable<string> inputs) =>
        inputs.SelectMany(input =>
            Directory.Exists(input) ? Directory.GetFiles(input, "*.ipynb").Order(StringComparer.Ordinal)
            : File.Exists(input) ? (IEnumerable<string>)[input]
            : throw new FileNotFoundException($"{input}: no such notebook or folder")).ToList();

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"render: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
