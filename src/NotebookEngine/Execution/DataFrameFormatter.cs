using System.Collections;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookEngine.Execution;

/// <summary>
/// An HTML table for <c>Microsoft.Data.Analysis.DataFrame</c> in any notebook, as .NET Interactive shows one (there the
/// package's own kernel extension registers it): an index column, one column per DataFrame column, the first
/// <see cref="MaxRows"/> rows and a line with the row count when there are more. Registered when the package's
/// assembly loads, so a formatter that notebook code registers afterwards (the course library's) takes precedence.
/// </summary>
public static partial class DataFrameFormatter
{
    /// <summary>Rows shown (.NET Interactive shows 10 per page).</summary>
    public const int MaxRows = 10;

    private const string AssemblyName = "Microsoft.Data.Analysis";
    private static int s_installed;

    /// <summary>Registers the formatter whenever Microsoft.Data.Analysis loads into this process from now on (once per process).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Register(e.LoadedAssembly);
    }

    private static void Register(Assembly assembly)
    {
        if (assembly.GetName().Name != AssemblyName || assembly.GetType("Microsoft.Data.Analysis.DataFrame") is not { } dataFrame)
            return;
        Formatter.Register(dataFrame, (value, writer) => writer.Write(ToHtml(value)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(dataFrame, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }

    /// <summary>The table for <paramref name="dataFrame"/> (read through reflection: the engine does not reference the package).</summary>
    public static string ToHtml(object dataFrame)
    {
        var columns = ((IEnumerable)dataFrame.GetType().GetProperty("Columns")!.GetValue(dataFrame)!).Cast<object>().ToList();
        var rows = columns.Count == 0 ? 0L : (long)columns[0].GetType().GetProperty("Length")!.GetValue(columns[0])!;
        var html = new System.Text.StringBuilder("<table><thead><tr><th><i>index</i></th>");
        foreach (var column in columns)
            html.Append("<th>").Append(WebUtility.HtmlEncode((string?)column.GetType().GetProperty("Name")!.GetValue(column))).Append("</th>");
        html.Append("</tr></thead><tbody>");
        var cells = columns.Select(c => c.GetType().GetProperty("Item", [typeof(long)])!).ToList();
        var style = "";
        string Cell(object? value)
        {
            if (value is string text)
                return WebUtility.HtmlEncode(text);
            var formatted = value.ToDisplayString(HtmlFormatter.MimeType);
            // The formatter appends its stylesheet to every top-level value; the table carries it once, at the end.
            var match = Style().Match(formatted);
            if (match.Success)
                style = match.Value;
            return Style().Replace(formatted, "");
        }
        for (var row = 0L; row < Math.Min(rows, MaxRows); row++)
        {
            html.Append("<tr><td><i>").Append(Cell(row)).Append("</i></td>");
            for (var c = 0; c < columns.Count; c++)
                html.Append("<td>").Append(Cell(cells[c].GetValue(columns[c], [row]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (rows > MaxRows)
            html.Append("<p>").Append(MaxRows).Append(" of ").Append(rows).Append(" rows</p>");
        return html.Append(style).ToString();
    }

    [GeneratedRegex(@"(?s)<style>.*?</style>")]
    private static partial Regex Style();
}
