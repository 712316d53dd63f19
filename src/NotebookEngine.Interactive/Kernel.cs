using Microsoft.AspNetCore.Html;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The helpers that Polyglot's C# kernel puts in scope (<c>using static Microsoft.DotNet.Interactive.Kernel</c>):
/// same names and signatures, so notebooks and libraries written for Polyglot run unchanged.
/// </summary>
public static class Kernel
{
    /// <summary>Displays <paramref name="value"/> as a new output, formatted with <paramref name="mimeTypes"/> (default: the type's preferred MIME type).</summary>
#pragma warning disable IDE1006 // Polyglot's API is lower-case.
    public static DisplayedValue display(object value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Wraps a string so it is displayed as HTML.</summary>
    public static IHtmlContent HTML(string content) => new HtmlString(content);

    /// <summary>Displays a script element that runs <paramref name="scriptContent"/> in the frontend.</summary>
    public static void Javascript(string scriptContent) =>
        DisplayedValue.Show(new HtmlString($"<script type=\"text/javascript\">{scriptContent}</script>"), ["text/html"]);
}
