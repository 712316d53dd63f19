using System.Net;
using System.Text;

namespace DeepLearning.Course.Interactive;

/// <summary>
/// A chapter's results, stated once: each <see cref="Add"/> names the metric, says what it is, gives
/// our value, the published numbers it is compared with (anchors of <see cref="PublishedResults"/>,
/// i.e. <c>REFERENCES.md</c>) and its threshold in quick and full mode, and records it with
/// <see cref="Metrics.Record(string, double)"/>. Displayed, it is the results table with a pass/fail per row;
/// <see cref="Check"/> throws one exception listing every row that missed its threshold.
/// </summary>
/// <example>
/// <code>
/// var results = new ChapterResults(quick)
///     .Add("cnn_test_accuracy", "modern CNN, test accuracy", cnnAccuracy,
///          Threshold.AtLeast(quick: 0.80, full: 0.91), published: "fashion-mnist-readme-2conv");
/// results          // the table
/// results.Check()  // next cell: throws if a row fails in this mode
/// </code>
/// </example>
/// <remarks>Introduced in chapter 01 (basics): every chapter ends with its results table and check.</remarks>
public sealed class ChapterResults
{
    private readonly List<ResultRow> _rows = [];

    /// <summary>Starts an empty table for a chapter running in quick (CI) or full mode.</summary>
    /// <param name="quick">The chapter's <c>quick</c> parameter: which thresholds apply.</param>
    public ChapterResults(bool quick) => Quick = quick;

    /// <summary>True when the quick-mode thresholds apply.</summary>
    public bool Quick { get; }

    /// <summary>"quick" or "full".</summary>
    public string Mode => Quick ? "quick" : "full";

    /// <summary>The rows, in the order they were added.</summary>
    public IReadOnlyList<ResultRow> Rows => _rows;

    /// <summary>
    /// States one result and records it (<see cref="Metrics.Record(MetricRecord)"/>, same name and value, with the
    /// label, the value as the table shows it and the published anchors, so the rendered site can show them).
    /// </summary>
    /// <param name="metric">The metric name in snake_case, as the report shows it.</param>
    /// <param name="label">What the number is, for a reader.</param>
    /// <param name="value">Our measured value.</param>
    /// <param name="threshold">What it must satisfy in quick and full mode; <c>null</c> for an informational row.</param>
    /// <param name="format">A .NET format string for the table (e.g. <c>F3</c>), or <c>null</c> for the default.</param>
    /// <param name="published">Anchor ids of <see cref="PublishedResults"/> (<c>REFERENCES.md</c>) to show beside it.</param>
    /// <returns>This table, so rows can be chained.</returns>
    /// <exception cref="ArgumentException">The metric was already added to this table.</exception>
    /// <exception cref="KeyNotFoundException">An anchor id is not in <see cref="PublishedResults"/>.</exception>
    public ChapterResults Add(string metric, string label, double value, Threshold? threshold = null, string? format = null, params string[] published)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(published);
        if (_rows.Any(r => r.Metric == metric)) throw new ArgumentException($"metric '{metric}' is already in this table", nameof(metric));
        var anchors = published.Select(PublishedResults.Find).ToArray();
        var row = new ResultRow(metric, label, value, threshold, anchors, format);
        _rows.Add(row);
        Metrics.Record(new MetricRecord(metric, value) { Label = label, Text = row.ValueText, Published = anchors });
        return this;
    }

    /// <summary>The rows that miss their threshold in this table's mode.</summary>
    public IReadOnlyList<ResultRow> Failures => _rows.Where(r => !r.Passes(Quick)).ToList();

    /// <summary>
    /// Checks every row against its threshold for this mode.
    /// </summary>
    /// <returns>A one-line summary, e.g. <c>all 5 checked results meet their quick-mode thresholds (3 informational)</c>.</returns>
    /// <exception cref="ResultsCheckException">One or more rows failed; the message lists each with its threshold.</exception>
    public string Check()
    {
        var failed = Failures;
        if (failed.Count > 0) throw new ResultsCheckException(failed, Quick);
        var checkedRows = _rows.Count(r => r.IsChecked(Quick));
        var informational = _rows.Count - checkedRows;
        return $"all {checkedRows} checked results meet their {Mode}-mode thresholds" + (informational > 0 ? $" ({informational} informational)" : "");
    }

    private string Summary()
    {
        var checkedRows = _rows.Count(r => r.IsChecked(Quick));
        var failed = _rows.Count(r => !r.Passes(Quick));
        return $"Results ({Mode} mode): {checkedRows - failed} of {checkedRows} checked results pass"
            + (failed > 0 ? $", {failed} FAIL" : "") + $"; {_rows.Count - checkedRows} informational";
    }

    private static readonly string[] Columns = ["result", "metric", "ours", "required", "status", "published"];

    private IEnumerable<string[]> Cells() => _rows.Select(r => new[]
    {
        r.Label, r.Metric, r.ValueText, r.Threshold?.Describe(Quick) is { Length: > 0 } t ? t : "—", r.Status(Quick),
        r.Published.Count == 0 ? "—" : string.Join("; ", r.Published.Select(p => p.ToString())),
    });

    /// <summary>The table as HTML: one row per result, the failing ones highlighted.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"dlc-results\">");
        html.Append("<div style=\"font-weight:bold\">").Append(WebUtility.HtmlEncode(Summary())).Append("</div>");
        html.Append("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var column in Columns) html.Append("<th style=\"padding:2px 6px;text-align:left\">").Append(WebUtility.HtmlEncode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (row, cells) in _rows.Zip(Cells()))
        {
            var colour = !row.IsChecked(Quick) ? "#666" : row.Passes(Quick) ? "#1a7f37" : "#cf222e";
            html.Append("<tr>");
            for (var j = 0; j < cells.Length; j++)
            {
                var style = j switch
                {
                    1 => "font-family:monospace;color:#666",
                    2 => "font-family:monospace;text-align:right",
                    4 => $"font-weight:bold;color:{colour}",
                    _ => "",
                };
                html.Append("<td style=\"padding:2px 6px;").Append(style).Append("\">").Append(WebUtility.HtmlEncode(cells[j])).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    /// <summary>The table as aligned plain text (the published column last, unpadded).</summary>
    /// <returns>Multi-line text.</returns>
    public override string ToString()
    {
        var table = new List<string[]> { Columns }.Concat(Cells()).ToList();
        var widths = Enumerable.Range(0, Columns.Length - 1).Select(j => table.Max(r => r[j].Length)).ToArray();
        var text = new StringBuilder(Summary());
        foreach (var row in table)
        {
            text.Append('\n');
            for (var j = 0; j < widths.Length; j++) text.Append(row[j].PadRight(widths[j])).Append("  ");
            text.Append(row[^1]);
        }
        return text.ToString();
    }
}
