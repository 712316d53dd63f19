using System.Globalization;

namespace NotebookRunner.Site;

/// <summary>
/// Renders executed notebooks into a static site that reads like a book: <c>index.html</c> (the course: a card per
/// chapter, <see cref="CoursePage"/>), <c>status.html</c> (the run's status table, <see cref="StatusPage"/>), one page
/// per chapter (<see cref="ChapterPage"/>), <c>search-index.js</c> (<see cref="SearchIndex"/>) and <c>assets/</c>
/// (stylesheet, <c>site.js</c>, bundled plotly.js, KaTeX and MiniSearch with their licences). Pages never load
/// anything from the network and work from a file:// URL.
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
            var chapters = notebooks.Select(RenderedChapter.Of).ToList();
            File.WriteAllText(Path.Combine(staging, "index.html"), CoursePage.Render(title, notebooks, report));
            File.WriteAllText(Path.Combine(staging, StatusPage.FileName), StatusPage.Render(title, notebooks, report));
            File.WriteAllText(Path.Combine(staging, SearchIndex.FileName), SearchIndex.Script(notebooks, chapters));
            for (var i = 0; i < notebooks.Count; i++)
            {
                var page = ChapterPage.Render(title, notebooks[i], chapters[i], i > 0 ? notebooks[i - 1] : null, i + 1 < notebooks.Count ? notebooks[i + 1] : null);
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

    /// <summary>The page every page's header and footer go around: stylesheet, scripts, the search box and the site's navigation.</summary>
    internal static string Layout(string siteTitle, string pageTitle, string body, string navigation = "", string pageClass = "") => $"""
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
        <script src="assets/minisearch.js"></script>
        <script src="{SearchIndex.FileName}"></script>
        <script src="{PlotlyOffline.ShimAsset}"></script>
        </head>
        <body class="{Html(pageClass)}">
        <header class="site">
        <a class="home" href="index.html">{Html(siteTitle)}</a>
        <a class="status-link" href="{StatusPage.FileName}">Run status</a>
        <div class="search" role="search">
        <input type="search" id="search-input" placeholder="Search the course" aria-label="Search the course" autocomplete="off">
        <ol id="search-results" hidden></ol>
        </div>
        </header>
        {navigation}
        <main>
        {body}
        </main>
        {navigation}
        </body>
        </html>

        """;

    private static string Html(string text) => OutputRenderer.Escape(text);

    /// <summary>12.3 → "12.3 s", 83.25 → "1 min 23 s".</summary>
    internal static string FormatSeconds(double seconds) => seconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60):00} s");
}
