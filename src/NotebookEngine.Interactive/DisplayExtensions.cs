using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace Microsoft.DotNet.Interactive;

/// <summary>Display helpers as Polyglot's C# kernel has them: <c>x.Display()</c>, <c>"..".DisplayAs(mime)</c>, <c>rows.DisplayTable()</c>.</summary>
public static class DisplayExtensions
{
    /// <summary>Displays <paramref name="value"/> as a new output.</summary>
    public static DisplayedValue Display(this object value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);

    /// <summary>Displays a string that is already in the format of <paramref name="mimeType"/>.</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) =>
        DisplayedValue.Show(new PreformattedValue(value, mimeType), [mimeType]);

    /// <summary>Displays a sequence as an HTML table.</summary>
    public static DisplayedValue DisplayTable<T>(this IEnumerable<T> value, params string[] mimeTypes) =>
        DisplayedValue.Show(new HtmlString(value.ToDisplayString(HtmlFormatter.MimeType)), mimeTypes.Length > 0 ? mimeTypes : [HtmlFormatter.MimeType]);
}

/// <summary>A string already formatted for one MIME type (what <see cref="DisplayExtensions.DisplayAs"/> shows).</summary>
public sealed record PreformattedValue(string Value, string MimeType)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
