using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;
using NotebookRunner.Run;

namespace NotebookRunner.Site;

/// <summary>
/// Turns cells and their nbformat outputs into HTML. Rich outputs are shown by MIME preference:
/// <c>text/html</c> (trusted course output, inserted as-is after <see cref="PlotlyOffline"/>),
/// images, JSON, Markdown, then <c>text/plain</c>. Everything that is not trusted HTML is escaped.
/// </summary>
public static partial class OutputRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private static readonly string[] MimePreference =
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "application/json", "text/markdown", "text/plain"];

    /// <summary>Markdown to HTML; links to sibling notebooks (<c>03-cnn.ipynb#loss</c>) point at their pages.</summary>
    public static string RenderMarkdown(string markdown) =>
        NotebookLink().Replace(Markdig.Markdown.ToHtml(markdown, Pipeline), "href=\"${name}.html");

    /// <summary>Inlines a Markdown cell's attachments (<c>![x](attachment:plot.png)</c>) as data URIs.</summary>
    private static string WithAttachments(string html, JsonObject? attachments)
    {
        foreach (var (name, bundle) in attachments ?? [])
        {
            if (bundle is JsonObject mimes && mimes.FirstOrDefault() is { Key: var mime, Value: JsonValue data })
                html = html.Replace($"\"attachment:{name}\"", $"\"data:{mime};base64,{Whitespace().Replace((string)data!, "")}\"");
        }
        return html;
    }

    public static string RenderCell(NotebookCell cell) => cell.CellType switch
    {
        "markdown" => $"<section class=\"cell markdown\">\n{WithAttachments(RenderMarkdown(cell.Source), cell.Attachments)}</section>\n",
        "code" => $"""
            <section class="cell code">
            <div class="prompt">In [{cell.ExecutionCount?.ToString() ?? " "}]:</div>
            <pre class="source"><code class="language-csharp">{CSharpHighlighter.Highlight(cell.Source)}</code></pre>
            {string.Concat(cell.Outputs.Select(RenderOutput))}</section>

            """,
        _ => $"<section class=\"cell raw\"><pre>{Escape(cell.Source)}</pre></section>\n",
    };

    public static string RenderOutput(JsonObject output) => (string?)output["output_type"] switch
    {
        "stream" => $"<pre class=\"output stream {Escape((string?)output["name"] ?? "stdout")}\">{Escape(StripAnsi(IpynbFormat.ReadMultiline(output["text"])))}</pre>\n",
        "error" => RenderError(output),
        "display_data" or "execute_result" => RenderData(output["data"] as JsonObject ?? []),
        var other => $"<div class=\"output unknown\">(output of type {Escape(other ?? "?")} not shown)</div>\n",
    };

    private static string RenderError(JsonObject error)
    {
        var traceback = error["traceback"] is JsonArray lines
            ? string.Join("\n", lines.Select(l => (string?)l))
            : "";
        return $"""
            <div class="output error">
            <div class="error-title"><strong>{Escape((string?)error["ename"] ?? "Error")}</strong>: {Escape(StripAnsi((string?)error["evalue"] ?? ""))}</div>
            <pre>{Escape(StripAnsi(traceback))}</pre>
            </div>

            """;
    }

    private static string RenderData(JsonObject data)
    {
        if (data.ContainsKey(MetricsFormat.MimeType)
            && MetricsReader.ReadOutput(new JsonObject { ["data"] = data.DeepClone() }) is [{ Label: not null } metric])
            return $"<div class=\"output\" data-mime=\"{MetricsFormat.MimeType}\">{RenderMetric(metric)}</div>\n";
        var mime = MimePreference.FirstOrDefault(data.ContainsKey);
        if (mime is null)
            return $"<div class=\"output unknown\">(output of type {Escape(string.Join(", ", data.Select(p => p.Key)))} not shown)</div>\n";
        var text = IpynbFormat.ReadMultiline(data[mime]);
        var body = mime switch
        {
            "text/html" => PlotlyOffline.Rewrite(Fragment(text)),
            "image/svg+xml" => $"<img alt=\"figure\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text))}\">",
            "image/png" or "image/jpeg" => $"<img alt=\"figure\" src=\"data:{mime};base64,{Whitespace().Replace(text, "")}\">",
            "application/json" => $"<pre>{Escape(PrettyJson(data[mime]))}</pre>",
            "text/markdown" => RenderMarkdown(text),
            _ => $"<pre>{Escape(StripAnsi(text))}</pre>",
        };
        return $"<div class=\"output\" data-mime=\"{mime}\">{body}</div>\n";
    }

    /// <summary>
    /// A row of a chapter's results as a reader sees it: what the number is, our value, and each published number
    /// it is compared with, with its anchor in <c>REFERENCES.md</c> and its source (the metric name as a tooltip).
    /// </summary>
    public static string RenderMetric(RecordedMetric metric)
    {
        var published = string.Concat(metric.Published.Select(p =>
            $" <span class=\"published\" title=\"{Escape(p.What)} ({Escape(p.Source)})\">published <b>{Escape(p.Value)}</b> <span class=\"anchor\">{Escape(p.Id)}</span></span>"));
        return $"<span class=\"metric-label\" title=\"{Escape(metric.Name)}\">{Escape(metric.Label ?? metric.Name)}</span> "
            + $"<span class=\"ours\"><b>{Escape(metric.Text ?? Number(metric.Value))}</b></span>{published}";
    }

    /// <summary>0.9134 → "0.9134", 12.5 → "12.5", 0.000012 → "1.2E-05" (small values keep their digits).</summary>
    public static string Number(double value) =>
        value.ToString(value == 0 || Math.Abs(value) >= 1e-3 ? "0.####" : "0.###E+00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A whole HTML document as an output (Plotly.NET's <c>toEmbeddedHTML</c>) keeps its body and the
    /// scripts and styles of its head; its title, meta and link tags would not belong in the page.
    /// </summary>
    private static string Fragment(string html)
    {
        var body = Body().Match(html);
        if (!body.Success)
            return html;
        var head = Head().Match(html);
        var headScripts = head.Success ? string.Concat(ScriptOrStyle().Matches(head.Value).Select(m => m.Value)) : "";
        return headScripts + body.Groups[1].Value;
    }

    private static string PrettyJson(JsonNode? json)
    {
        if (json is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            try { json = JsonNode.Parse((string)v!); }
            catch (JsonException) { return (string)v!; }
        }
        return json?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Removes ANSI escape sequences (colours in tracebacks and console output).</summary>
    public static string StripAnsi(string text) => Ansi().Replace(text, "");

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"<body\b[^>]*>(.*)</body>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Body();

    [GeneratedRegex(@"<head\b[^>]*>.*?</head>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Head();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"href=""(?![a-z]+:)(?:[^""#?]*/)?(?<name>[^""/#?]*)\.ipynb")]
    private static partial Regex NotebookLink();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
