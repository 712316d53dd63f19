using System.Text;

namespace NotebookRunner.Site;

/// <summary>
/// A chapter's page: a table of contents from its h2/h3 headings (links to their anchors), a "Work through this
/// chapter" box (notebook kernel, headless runner, file-based app), the cells with their figures and tables as in
/// the notebook (results rows with readable labels and published anchors, <see cref="OutputRenderer.RenderMetric"/>),
/// and links to the previous and next chapter.
/// </summary>
public static class ChapterPage
{
    /// <summary>The page.</summary>
    public static string Render(string siteTitle, ExecutedNotebook notebook, RenderedChapter chapter, ExecutedNotebook? previous, ExecutedNotebook? next)
    {
        var navigation = $"""
            <nav class="pager">
            {(previous is null ? "<span></span>" : $"<a class=\"prev\" href=\"{Html(previous.Slug)}.html\">← {Html(previous.Title)}</a>")}
            <a href="index.html">Contents</a>
            {(next is null ? "<span></span>" : $"<a class=\"next\" href=\"{Html(next.Slug)}.html\">{Html(next.Title)} →</a>")}
            </nav>
            """;
        var body = $"""
            <div class="chapter">
            <aside class="sidebar">
            {Contents(chapter.Headings)}{WorkThrough(notebook)}</aside>
            <article>
            {chapter.Html}</article>
            </div>
            """;
        return SiteRenderer.Layout(siteTitle, $"{notebook.Title} · {siteTitle}", body, navigation, pageClass: "chapter-page");
    }

    private static string Contents(IReadOnlyList<ChapterHeading> headings)
    {
        if (headings.Count == 0)
            return "";
        var items = new StringBuilder();
        foreach (var heading in headings)
            items.Append($"<li class=\"level-{heading.Level}\"><a href=\"#{Html(heading.Anchor)}\">{Html(heading.Text)}</a></li>\n");
        return $"""
            <nav class="toc" aria-label="On this page">
            <h2>On this page</h2>
            <ol>
            {items}</ol>
            </nav>

            """;
    }

    /// <summary>The three ways to work through the chapter, with the commands for this one.</summary>
    private static string WorkThrough(ExecutedNotebook notebook)
    {
        var source = $"notebooks/{notebook.Slug}.ipynb";
        return $"""
            <section class="work-through">
            <h2>Work through this chapter</h2>
            <p><b>In a notebook</b>: open <code>{Html(source)}</code> in VS Code (Polyglot Notebooks or the Jupyter extension)
            or JupyterLab with the kernel <code>.net-csharp</code> (Microsoft's .NET Interactive, or the course's own kernel:
            <code>dotnet run --project src/NotebookRunner -c Release -- kernel install</code>).</p>
            <p><b>Headless</b>, the whole chapter:</p>
            <pre><code>dotnet run --project src/NotebookRunner -c Release -- run {Html(source)} -p quick=true</code></pre>
            <p><b>As a .NET 10 file-based app</b>: export it, then <code>dotnet run</code> the <code>.cs</code> file it writes
            (displays are printed and saved beside it, metrics in <code>metrics.json</code>):</p>
            <pre><code>dotnet run --project src/NotebookRunner -c Release -- export {Html(source)}
            cd artifacts/apps &amp;&amp; dotnet run {Html(notebook.Slug)}.cs -- quick=true</code></pre>
            <p>Drop <code>quick=true</code> for the full version. The exercises at the end check your answer where you write it;
            worked solutions are in <code>solutions/{Html(notebook.Slug)}.ipynb</code> (<code>run … --solutions solutions/</code> runs the
            chapter with them filled in). The repository's README explains each way.</p>
            </section>

            """;
    }

    private static string Html(string text) => OutputRenderer.Escape(text);
}
