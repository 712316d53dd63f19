using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookEngine.Execution;

/// <summary>Formats a value into an nbformat MIME bundle with Microsoft.DotNet.Interactive.Formatting, as Polyglot does.</summary>
public static partial class MimeBundle
{
    /// <summary>
    /// The bundle for <paramref name="value"/>: the requested MIME types (or the type's preferred one:
    /// strings as text/plain, HTML content as text/html, other objects as text/html), always with a
    /// text/plain fallback. JSON MIME types hold parsed JSON when the formatted text is JSON.
    /// </summary>
    public static JsonObject Format(object? value, IReadOnlyList<string>? mimeTypes)
    {
        if (SelfReference.Find(value) is { } cycle)
        {
            // The formatter would recurse until the stack overflows and the process ends: show ToString() and say why.
            var text = $"{value} ({cycle}; shown with ToString() because formatting it would never end)";
            return new JsonObject { [PlainTextFormatter.MimeType] = text };
        }
        var types = new List<string>();
        if (mimeTypes is { Count: > 0 })
            types.AddRange(mimeTypes);
        else
            types.AddRange(PreferredMimeTypes(value));
        if (!types.Contains(PlainTextFormatter.MimeType))
            types.Add(PlainTextFormatter.MimeType);

        var data = new JsonObject();
        foreach (var mime in types.Distinct())
            data[mime] = FormatOne(value, mime);
        return data;
    }

    private static IEnumerable<string> PreferredMimeTypes(object? value)
    {
        switch (value)
        {
            case null:
            case string:
                return [PlainTextFormatter.MimeType];
            case PreformattedValue p:
                return [p.MimeType];
            case IHtmlContent:
                return [HtmlFormatter.MimeType];
        }
        var preferred = Formatter.GetPreferredMimeTypesFor(value.GetType()).ToList();
        return preferred.Count > 0 ? preferred : [Formatter.DefaultMimeType];
    }

    private static JsonNode? FormatOne(object? value, string mime)
    {
        string text;
        if (value is PreformattedValue p)
            text = p.MimeType == mime ? p.Value : p.Value;
        else if (value is null)
            text = mime == HtmlFormatter.MimeType ? "<div class=\"dni-plaintext\"><pre>&lt;null&gt;</pre></div>" : "<null>";
        else if (value is IHtmlContent html && mime == PlainTextFormatter.MimeType)
            text = html.ToString() ?? "";
        else
            text = FormatWithFallback(value, mime);

        if (JsonMime().IsMatch(mime))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return text;
            }
        }
        return text;
    }

    /// <summary>Formats with the registered formatter; for a MIME type with none, JSON types get System.Text.Json and others plain text.</summary>
    private static string FormatWithFallback(object value, string mime)
    {
        try
        {
            return value.ToDisplayString(mime);
        }
        catch (ArgumentException)
        {
            if (JsonMime().IsMatch(mime))
            {
                try
                {
                    return JsonSerializer.Serialize(value, value.GetType());
                }
                catch (NotSupportedException)
                {
                }
            }
            return value.ToDisplayString(PlainTextFormatter.MimeType);
        }
    }

    [GeneratedRegex(@"^application/(.*\+)?json$")]
    private static partial Regex JsonMime();
}
