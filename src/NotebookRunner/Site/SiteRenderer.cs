using System.Globalization;
using System.Text;

namespace NotebookRunner.Site;

/// <summary>
/// Renders executed notebooks into a static site: <c>index.html</c> (the chapter table with status,
/// time and headline metrics), one page per notebook, and <c>assets/</c> (stylesheet, bundled
/// plotly.js and KaTeX with their licences, <c>site.js</c>). Pages never load anything from the network.
/// </summary>
/// <remarks>
/// The site is written atomically: every notebook is read first, the site is written to a staging
/// folder beside the output, and only then swapped into place, so a failed render leaves the
/// previous site as it was.
/// </remarks>
public sealed class SiteRenderer(string title = SiteRenderer.DefaultTitle)
{
    public const string DefaultTitle = "Deep Learning with C#";

    private const string AssetPrefix = "site-assets/";

    /// <summary>Renders <paramref name="notebookPaths"/> into <paramref name="outputDirectory"/>, replacing what was there.</summary>
    public void Render(IEnumerable<string> notebookPaths, RunReport? report, string outputDirectory)
    {
        var notebooks = notebookPaths.Select(ExecutedNotebook.Load).OrderBy(n => n.Slug, StringComparer.Ordinal).ToList();
        if (notebooks.GroupBy(n => n.Slug).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new InvalidDataException($"two notebooks would both be {clash.Key}.html: {string.Join(", ", clash.Select(n => n.Path))}");

        var target = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var staging = $"{target}.staging-{Guid.NewGuid():N}";
        try
        {
            WriteAssets(Path.Combine(staging, "assets"));
            File.WriteAllText(Path.Combine(staging, "index.html"), IndexPage(notebooks, report));
            for (var i = 0; i < notebooks.Count; i++)
            {
                var page = ChapterPage(notebooks[i], i > 0 ? notebooks[i - 1] : null, i + 1 < notebooks.Count ? notebooks[i + 1] : null);
                File.WriteAllText(Path.Combine(staging, notebooks[i].Slug + ".html"), page);
            }
            SwapIntoPlace(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static void SwapIntoPlace(string staging, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var previous = $"{target}.previous-{Guid.NewGuid():N}";
        Directory.Move(target, previous);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(previous, target); // put the previous site back
            throw;
        }
        Directory.Delete(previous, recursive: true);
    }

    /// <summary>Writes the embedded <c>Site/assets</c> files (see NotebookRunner.csproj) under <paramref name="folder"/>.</summary>
    private static void WriteAssets(string folder)
    {
        var assembly = typeof(SiteRenderer).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(AssetPrefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(folder, name[AssetPrefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            resource.CopyTo(file);
        }
    }

    /// <summary>One line of the index: a rendered chapter, or a notebook the report lists without an executed copy (a crash).</summary>
    private sealed record ChapterRow(string Slug, string Title, bool HasPage, string Status, double? Seconds, IReadOnlyDictionary<string, double> Metrics)
    {
        public string Number => ExecutedNotebook.ChapterNumber(Slug) ?? "";
    }

    private static IEnumerable<ChapterRow> Rows(IReadOnlyList<ExecutedNotebook> notebooks, RunReport? report)
    {
        var rendered = notebooks.Select(n =>
        {
            var entry = report?.Find(n.Path);
            return new ChapterRow(n.Slug, n.Title, HasPage: true, entry?.Status ?? (n.HasError ? "failed" : "passed"),
                entry?.Seconds ?? n.Seconds, entry?.Metrics ?? n.Metrics);
        });
        var renderedFiles = notebooks.Select(n => Path.GetFileName(n.Path)).ToHashSet();
        var missing = (report?.Notebooks ?? []).Where(e => !renderedFiles.Contains(Path.GetFileName(e.Path))).Select(e =>
            new ChapterRow(Path.GetFileNameWithoutExtension(e.Path), Path.GetFileName(e.Path), HasPage: false, e.Status, e.Seconds, e.Metrics));
        return rendered.Concat(missing).OrderBy(r => r.Slug, StringComparer.Ordinal);
    }

    private string IndexPage(IReadOnlyList<ExecutedNotebook> notebooks, RunReport? report)
    {
        var rows = new StringBuilder();
        foreach (var row in Rows(notebooks, report))
        {
            var chapter = row.HasPage ? $"<a href=\"{Html(row.Slug)}.html\">{Html(row.Title)}</a>" : $"{Html(row.Title)} (no executed copy)";
            rows.Append($"""
                <tr>
                <td class="number">{Html(row.Number)}</td>
                <td>{chapter}</td>
                <td><span class="status {Html(row.Status)}">{Html(row.Status)}</span></td>
                <td class="time">{(row.Seconds is { } s ? Html(FormatSeconds(s)) : "")}</td>
                <td class="metrics">{string.Join("<br>", row.Metrics.Select(m => $"<span class=\"metric\">{Html(m.Key)} = <b>{Html(FormatNumber(m.Value))}</b></span>"))}</td>
                </tr>

                """);
        }
        var summary = report is null
            ? ""
            : $"<p class=\"summary\">{report.Notebooks.Count(n => n.Status == "passed")} passed, {report.Notebooks.Count(n => n.Status != "passed")} not passed.</p>\n";
        var body = $"""
            <h1>{Html(title)}</h1>
            {summary}<table class="chapters">
            <thead><tr><th>#</th><th>Chapter</th><th>Status</th><th>Time</th><th>Headline metrics</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            """;
        return Layout(title, body, navigation: "");
    }

    private string ChapterPage(ExecutedNotebook notebook, ExecutedNotebook? previous, ExecutedNotebook? next)
    {
        var cells = string.Concat(notebook.Cells.Select(OutputRenderer.RenderCell));
        var navigation = $"""
            <nav class="pager">
            {(previous is null ? "<span></span>" : $"<a class=\"prev\" href=\"{Html(previous.Slug)}.html\">← {Html(previous.Title)}</a>")}
            <a href="index.html">Contents</a>
            {(next is null ? "<span></span>" : $"<a class=\"next\" href=\"{Html(next.Slug)}.html\">{Html(next.Title)} →</a>")}
            </nav>
            """;
        return Layout($"{notebook.Title} · {title}", $"<article>\n{cells}</article>", navigation);
    }

    private string Layout(string pageTitle, string body, string navigation) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Html(pageTitle)}</title>
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/site.css">
        <script src="{PlotlyOffline.PlotlyAsset}"></script>
        <script src="assets/katex/katex.min.js"></script>
        <script src="{PlotlyOffline.ShimAsset}"></script>
        </head>
        <body>
        <header class="site"><a href="index.html">{Html(title)}</a></header>
        {navigation}
        <main>
        {body}
        </main>
        {navigation}
        </body>
        </html>

        """;

    private static string Html(string text) => OutputRenderer.Escape(text);

    /// <summary>0.9134 → "0.9134", 12.5 → "12.5", 0.000012 → "1.2E-05" (small values keep their digits).</summary>
    private static string FormatNumber(double value) =>
        value.ToString(value == 0 || Math.Abs(value) >= 1e-3 ? "0.####" : "0.###E+00", CultureInfo.InvariantCulture);

    private static string FormatSeconds(double seconds) => seconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60):00} s");
}
