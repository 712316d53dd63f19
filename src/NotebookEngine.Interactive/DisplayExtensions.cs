using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Formatting.TabularData;

namespace Microsoft.DotNet.Interactive;

/// <summary>Display helpers as Polyglot's C# kernel has them: <c>x.Display()</c>, <c>"..".DisplayAs(mime)</c>, <c>rows.DisplayTable()</c>.</summary>
public static class DisplayExtensions
{
    /// <summary>Displays <paramref name="value"/> as a new output.</summary>
    public static DisplayedValue Display(this object value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);

    /// <summary>Displays a string that is already in the format of <paramref name="mimeType"/>.</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) =>
        DisplayedValue.Show(new PreformattedValue(value, mimeType), [mimeType]);

    /// <summary>
    /// Displays a sequence as a table with one column per property (or field) of <typeparamref name="T"/> and one row
    /// per item, through Microsoft.DotNet.Interactive.Formatting's tabular data resource, as Polyglot's C# kernel does
    /// (by default as text/html and text/csv).
    /// </summary>
    public static DisplayedValue DisplayTable<T>(this IEnumerable<T> value, params string[] mimeTypes) =>
        value is null
            ? DisplayedValue.Show(value, mimeTypes)
            : DisplayedValue.Show(value.ToTabularDataResource(), mimeTypes.Length > 0 ? mimeTypes : [HtmlFormatter.MimeType, CsvMimeType]);

    private const string CsvMimeType = "text/csv";
}

/// <summary>A string already formatted for one MIME type (what <see cref="DisplayExtensions.DisplayAs"/> shows).</summary>
public sealed record PreformattedValue(string Value, string MimeType)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
