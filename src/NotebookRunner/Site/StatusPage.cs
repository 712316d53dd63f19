using System.Text;

namespace NotebookRunner.Site;

/// <summary>
/// <c>status.html</c>: the run's status as a table, a secondary view linked from the course page: per notebook its
/// status, time and every recorded metric by its name (from the report when there is one, else from the outputs),
/// and the notebooks the report lists without an executed copy (a crash).
/// </summary>
public static class StatusPage
{
    /// <summary>The page's file name in the site.</summary>
    public const string FileName = "status.html";

    /// <summary>One line of the table: a rendered chapter, or a notebook the report lists without an executed copy.</summary>
    private sealed record ChapterRow(string Slug, string Title, bool HasPage, string Status, double? Seconds, IReadOnlyDictionary<string, double> Metrics)
    {
        public string Number => ExecutedNotebook.ChapterNumber(Slug) ?? "";
    }

    private static IEnumerable<ChapterRow> Rows(IReadOnlyList<ExecutedNotebook> notebooks, RunReport? report)
    {
        var rendered = notebooks.Select(n =>
        {
            var entry = report?.Find(n.Path);
            return new ChapterRow(n.Slug, n.Title, HasPage: true, Status(n, report), entry?.Seconds ?? n.Seconds, entry?.Metrics ?? n.Metrics);
        });
        var renderedFiles = notebooks.Select(n => Path.GetFileName(n.Path)).ToHashSet();
        var missing = (report?.Notebooks ?? []).Where(e => !renderedFiles.Contains(Path.GetFileName(e.Path))).Select(e =>
            new ChapterRow(Path.GetFileNameWithoutExtension(e.Path), Path.GetFileName(e.Path), HasPage: false, e.Status, e.Seconds, e.Metrics));
        return rendered.Concat(missing).OrderBy(r => r.Slug, StringComparer.Ordinal);
    }

    /// <summary>The notebook's status: the report's, or <c>failed</c>/<c>passed</c> from its outputs.</summary>
    internal static string Status(ExecutedNotebook notebook, RunReport? report) =>
        report?.Find(notebook.Path)?.Status ?? (notebook.HasError ? "failed" : "passed");

    /// <summary>The page.</summary>
    public static string Render(string siteTitle, IReadOnlyList<ExecutedNotebook> notebooks, RunReport? report)
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
                <td class="time">{(row.Seconds is { } s ? Html(SiteRenderer.FormatSeconds(s)) : "")}</td>
                <td class="metrics">{string.Join("<br>", row.Metrics.Select(m => $"<span class=\"metric\">{Html(m.Key)} = <b>{Html(OutputRenderer.Number(m.Value))}</b></span>"))}</td>
                </tr>

                """);
        }
        var summary = report is null
            ? ""
            : $"<p class=\"summary\">{report.Notebooks.Count(n => n.Status == "passed")} passed, {report.Notebooks.Count(n => n.Status != "passed")} not passed.</p>\n";
        var body = $"""
            <h1>Run status</h1>
            <p><a href="index.html">← The course</a></p>
            {summary}<table class="chapters">
            <thead><tr><th>#</th><th>Chapter</th><th>Status</th><th>Time</th><th>Recorded metrics</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            """;
        return SiteRenderer.Layout(siteTitle, $"Run status · {siteTitle}", body, pageClass: "status-page");
    }

    private static string Html(string text) => OutputRenderer.Escape(text);
}
