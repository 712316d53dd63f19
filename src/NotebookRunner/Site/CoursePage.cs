using System.Text;
using NotebookRunner.Run;

namespace NotebookRunner.Site;

/// <summary>
/// <c>index.html</c>, the course: one card per chapter with its title, what it is about (the intro's first
/// paragraph, <see cref="ExecutedNotebook.Summary"/>), its headline results with what each number is beside the
/// published one (<see cref="Headlines"/>), its time and its status; then a link to the run status table
/// (<see cref="StatusPage"/>).
/// </summary>
public static class CoursePage
{
    /// <summary>How many rows of a chapter's results table its card shows.</summary>
    public const int HeadlineCount = 3;

    /// <summary>The page.</summary>
    public static string Render(string siteTitle, IReadOnlyList<ExecutedNotebook> notebooks, RunReport? report)
    {
        var cards = new StringBuilder();
        foreach (var notebook in notebooks)
            cards.Append(Card(notebook, report));
        // The report also counts chapters that left no executed copy (a crash): they have no card, but they count.
        var (passed, total) = report is null
            ? (notebooks.Count(n => StatusPage.Status(n, report) == "passed"), notebooks.Count)
            : (report.Notebooks.Count(n => n.Status == "passed"), report.Notebooks.Count);
        var body = $"""
            <h1>{Html(siteTitle)}</h1>
            <p class="lead">An executable course: every chapter below trains on real data and checks its results
            against published ones. Read a chapter here, then work through it yourself (each page says how).</p>
            <ol class="cards">
            {cards}</ol>
            <p class="run-summary">{passed} of {total} chapters passed in the run that made these pages. <a href="{StatusPage.FileName}">Run status table</a></p>
            """;
        return SiteRenderer.Layout(siteTitle, siteTitle, body, pageClass: "course-page");
    }

    private static string Card(ExecutedNotebook notebook, RunReport? report)
    {
        var entry = report?.Find(notebook.Path);
        var status = StatusPage.Status(notebook, report);
        var seconds = entry?.Seconds ?? notebook.Seconds;
        var headlines = Headlines(notebook.Records)
            .Select(r => $"<li>{OutputRenderer.RenderMetric(FromReport(r, entry))}</li>");
        var results = string.Concat(headlines);
        return $"""
            <li class="card">
            <a class="card-title" href="{Html(notebook.Slug)}.html">{Html(notebook.Title)}</a>
            <p class="summary">{Html(notebook.Summary)}</p>
            {(results.Length > 0 ? $"<ul class=\"headlines\">{results}</ul>" : "")}
            <p class="facts">{(seconds is { } s ? $"<span class=\"time\">{Html(SiteRenderer.FormatSeconds(s))}</span> · " : "")}<span class="status {Html(status)}">{Html(status)}</span></p>
            </li>

            """;
    }

    /// <summary>
    /// The results a card shows: rows of the chapter's results table (records with a label), those compared with a
    /// published number first, each group in table order, at most <see cref="HeadlineCount"/>.
    /// </summary>
    public static IReadOnlyList<RecordedMetric> Headlines(IReadOnlyList<RecordedMetric> records) =>
        records.Where(r => r.Label is not null).OrderBy(r => r.Published.Count == 0).Take(HeadlineCount).ToList();

    /// <summary>The report is the source of truth for values: a metric it holds with another value is shown with the report's.</summary>
    private static RecordedMetric FromReport(RecordedMetric metric, ReportEntry? entry) =>
        entry is not null && entry.Metrics.TryGetValue(metric.Name, out var value) && value != metric.Value
            ? metric with { Value = value, Text = null }
            : metric;

    private static string Html(string text) => OutputRenderer.Escape(text);
}
