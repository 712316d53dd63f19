using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Site;

/// <summary>
/// An executed notebook (nbformat 4 JSON) as the site needs it: cells with their sources and raw
/// outputs, a title, a chapter number and the headline metrics it recorded.
/// </summary>
public sealed partial record ExecutedNotebook(string Path, IReadOnlyList<NotebookCell> Cells)
{
    /// <summary>MIME type of a metrics record (as the course library's Metrics.Record displays it): <c>{"name":"test_accuracy","value":0.91}</c>.</summary>
    public const string MetricsMimeType = "application/vnd.deeplearning-course.metrics+json";

    /// <summary>Reads an executed notebook; throws <see cref="InvalidDataException"/> naming the file when it is not nbformat 4 JSON.</summary>
    public static ExecutedNotebook Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a notebook (invalid JSON: {e.Message})", e);
        }
        if (root is not JsonObject notebook || notebook["nbformat"]?.GetValueKind() != JsonValueKind.Number
            || (int)notebook["nbformat"]! != 4 || notebook["cells"] is not JsonArray cells)
        {
            throw new InvalidDataException($"{path}: not an nbformat 4 notebook (expected \"nbformat\": 4 and a \"cells\" array)");
        }
        return new ExecutedNotebook(path, cells.OfType<JsonObject>().Select(NotebookCell.From).ToList());
    }

    /// <summary>File name without extension, used as the chapter page's name (<c>03-cnn</c> → <c>03-cnn.html</c>).</summary>
    public string Slug => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The leading number of the file name (<c>03-cnn</c> → <c>03</c>), or null.</summary>
    public string? Number => ChapterNumber(Slug);

    internal static string? ChapterNumber(string fileName) => LeadingNumber().Match(fileName) is { Success: true } m ? m.Value : null;

    /// <summary>The first Markdown heading's text, or the file name when there is none.</summary>
    public string Title =>
        Cells.Where(c => c.Kind == "markdown")
             .Select(c => Heading().Match(c.Source))
             .FirstOrDefault(m => m.Success) is { } heading
            ? Markdig.Markdown.ToPlainText(heading.Groups[1].Value).Trim() // "3. *Convolutional* nets" → "3. Convolutional nets"
            : Slug;

    /// <summary>True when some cell produced an <c>error</c> output.</summary>
    public bool HasError => Cells.Any(c => c.Outputs.Any(o => (string?)o["output_type"] == "error"));

    /// <summary>Total cell time from the papermill metadata, or null when no cell has it.</summary>
    public double? Seconds => Cells.Any(c => c.Seconds is not null) ? Cells.Sum(c => c.Seconds ?? 0) : null;

    /// <summary>Metrics recorded through <see cref="MetricsMimeType"/> outputs; a later record of the same name wins.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get
        {
            var metrics = new Dictionary<string, double>();
            foreach (var output in Cells.SelectMany(c => c.Outputs))
            {
                var payload = output["data"]?[MetricsMimeType];
                if (payload is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                    payload = JsonNode.Parse((string)text!);
                if (payload?["name"] is JsonValue name && payload["value"] is JsonValue value
                    && value.GetValueKind() == JsonValueKind.Number)
                {
                    metrics[(string)name!] = (double)value;
                }
            }
            return metrics;
        }
    }

    /// <summary>Joins nbformat's multiline strings (a string or an array of strings).</summary>
    internal static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string)v!,
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingNumber();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}

/// <summary>
/// One cell: its kind (<c>markdown</c>, <c>code</c>, <c>raw</c>), source, execution count, outputs,
/// papermill duration, and a Markdown cell's attachments (<c>{"name.png": {"image/png": base64}}</c>).
/// </summary>
public sealed record NotebookCell(string Kind, string Source, int? ExecutionCount, IReadOnlyList<JsonObject> Outputs, double? Seconds,
    JsonObject? Attachments = null)
{
    internal static NotebookCell From(JsonObject cell)
    {
        var count = cell["execution_count"] is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? (int)n : (int?)null;
        var duration = cell["metadata"]?["papermill"]?["duration"] is JsonValue d && d.GetValueKind() == JsonValueKind.Number
            ? (double)d : (double?)null;
        var outputs = cell["outputs"] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];
        return new NotebookCell((string?)cell["cell_type"] ?? "raw", ExecutedNotebook.Text(cell["source"]), count, outputs, duration,
            cell["attachments"] as JsonObject);
    }
}
