using System.Text;
using Microsoft.Data.Analysis;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Compact views of a <see cref="DataFrame"/>: a header with row and column counts, column names
/// with their types, and the first rows.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), where the first table of data is shown.</remarks>
public static class DataFrameHtml
{
    /// <summary>Rows shown before truncating.</summary>
    public const int MaxRows = 10;

    /// <summary>An HTML table of the first rows with a shape header and typed column names.</summary>
    /// <param name="frame">The data frame.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = Math.Min(frame.Rows.Count, MaxRows);
        var html = new StringBuilder("<div class=\"dlc-dataframe\">");
        html.Append("<div style=\"font-family:monospace;font-weight:bold\">").Append(PlotlyHtml.Encode(Header(frame))).Append("</div>");
        html.Append("<table style=\"font-family:monospace;border-collapse:collapse\"><thead><tr><th></th>");
        foreach (var column in frame.Columns)
            html.Append("<th style=\"padding:1px 6px\">").Append(PlotlyHtml.Encode(column.Name))
                .Append("<br><span style=\"font-weight:normal;color:#666\">").Append(PlotlyHtml.Encode(TypeName(column.DataType))).Append("</span></th>");
        html.Append("</tr></thead><tbody>");
        for (long i = 0; i < rows; i++)
        {
            html.Append("<tr><td style=\"color:#666\">").Append(i).Append("</td>");
            foreach (var column in frame.Columns)
                html.Append("<td style=\"padding:1px 6px;text-align:right\">").Append(PlotlyHtml.Encode(Cell(column[i]))).Append("</td>");
            html.Append("</tr>");
        }
        if (frame.Rows.Count > rows)
            html.Append("<tr><td colspan=\"").Append(frame.Columns.Count + 1).Append("\" style=\"color:#666\">… ")
                .Append(frame.Rows.Count - rows).Append(" more rows</td></tr>");
        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    /// <summary>A plain-text table of the first rows.</summary>
    /// <param name="frame">The data frame.</param>
    /// <returns>Multi-line text.</returns>
    public static string ToPlainText(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = (int)Math.Min(frame.Rows.Count, MaxRows);
        var table = new List<string[]> { frame.Columns.Select(c => $"{c.Name} ({TypeName(c.DataType)})").ToArray() };
        for (var i = 0; i < rows; i++) table.Add(frame.Columns.Select(c => Cell(c[i])).ToArray());
        var widths = Enumerable.Range(0, frame.Columns.Count).Select(j => table.Max(r => r[j].Length)).ToArray();
        var text = new StringBuilder(Header(frame));
        foreach (var row in table) text.Append('\n').Append(string.Join("  ", row.Select((c, j) => c.PadLeft(widths[j]))));
        if (frame.Rows.Count > rows) text.Append($"\n… {frame.Rows.Count - rows} more rows");
        return text.ToString();
    }

    private static string Header(DataFrame frame) => $"DataFrame {frame.Rows.Count} rows × {frame.Columns.Count} columns";

    private static string Cell(object? value) => value switch
    {
        null => "null",
        float f => f.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string TypeName(Type type) => type == typeof(float) ? "float" : type == typeof(double) ? "double"
        : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(string) ? "string"
        : type == typeof(bool) ? "bool" : type.Name;
}
