using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DeepLearning.Course.Formatting;

namespace DeepLearning.Course.Interactive;

/// <summary>
/// Records a chapter's headline numbers (test accuracy, perplexity, ...) so the notebook runner's
/// report can collect them from the executed notebook's outputs.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): each chapter's results check records its numbers.</remarks>
public static class Metrics
{
    /// <summary>The MIME type whose payload the runner's report scans for (defined once, in <see cref="Platform.MetricsFormat"/>).</summary>
    public const string MimeType = Platform.MetricsFormat.MimeType;

    private static readonly ConcurrentDictionary<string, double> Values = new(StringComparer.Ordinal);

    /// <summary>Every metric recorded in this process; a later record of the same name wins.</summary>
    public static IReadOnlyDictionary<string, double> Recorded => Values;

    /// <summary>
    /// Records <paramref name="name"/> = <paramref name="value"/> and displays it as HTML, plain text
    /// and the metrics JSON (<c>{"name":"test_accuracy","value":0.91}</c>).
    /// </summary>
    /// <param name="name">Metric name in snake_case, e.g. <c>test_accuracy</c>.</param>
    /// <param name="value">The measured value.</param>
    /// <returns>The record that was displayed.</returns>
    public static MetricRecord Record(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Record(new MetricRecord(name, value));
    }

    /// <summary>
    /// Records <paramref name="record"/> and displays it as <see cref="Record(string, double)"/> does; a record that
    /// carries a <see cref="MetricRecord.Label"/> and its published anchors (as <see cref="ChapterResults.Add"/> makes)
    /// takes them into its JSON payload, so the rendered site can say what the number is beside it.
    /// </summary>
    /// <param name="record">The metric to record.</param>
    /// <returns>The record that was displayed.</returns>
    public static MetricRecord Record(MetricRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Name);
        Formatters.Register();
        Values[record.Name] = record.Value;
        Notebook.Display(record, "text/html", "text/plain", MimeType);
        return record;
    }
}

/// <summary>One recorded metric: a name and its value, and, for a row of a chapter's results, what it is.</summary>
/// <param name="Name">Metric name, e.g. <c>test_accuracy</c>.</param>
/// <param name="Value">The measured value.</param>
/// <remarks>Introduced in chapter 01 (basics); produced by <see cref="Metrics.Record(string, double)"/> and <see cref="ChapterResults.Add"/>.</remarks>
public sealed record MetricRecord(string Name, double Value)
{
    /// <summary>What the number is, for a reader (<see cref="ResultRow.Label"/>), or <c>null</c> for a bare record.</summary>
    public string? Label { get; init; }

    /// <summary>The value as the results table shows it (<see cref="ResultRow.ValueText"/>), or <c>null</c>.</summary>
    public string? Text { get; init; }

    /// <summary>The published numbers it is compared with (<see cref="ResultRow.Published"/>); empty for a bare record.</summary>
    public IReadOnlyList<PublishedResult> Published { get; init; } = [];

    /// <summary>
    /// The JSON payload the runner collects: <c>{"name":"...","value":...}</c>, followed, when there is a
    /// <see cref="Label"/>, by <c>"label"</c>, <c>"text"</c> and <c>"published":[{"id","value","what","source"}…]</c>.
    /// </summary>
    /// <returns>Compact JSON; non-finite values are written as <c>null</c>.</returns>
    public string ToJson()
    {
        var value = double.IsFinite(Value) ? Value.ToString("R", CultureInfo.InvariantCulture) : "null";
        var json = $"{{\"name\":{Json(Name)},\"value\":{value}";
        if (Label is not null)
        {
            json += $",\"label\":{Json(Label)},\"text\":{Json(Text ?? value)},\"published\":["
                + string.Join(",", Published.Select(p => $"{{\"id\":{Json(p.Id)},\"value\":{Json(p.Value)},\"what\":{Json(p.What)},\"source\":{Json(p.Source)}}}"))
                + "]";
        }
        return json + "}";
    }

    /// <summary>A JSON string; text is kept as written (<c>+</c>, <c>–</c>), since the payload is data, never HTML.</summary>
    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text, JsonText);

    private static readonly System.Text.Json.JsonSerializerOptions JsonText =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Plain-text form: <c>metric test_accuracy = 0.91</c>.</summary>
    /// <returns>One line.</returns>
    public override string ToString() =>
        $"metric {Name} = {Value.ToString("G6", CultureInfo.InvariantCulture)}";

    /// <summary>A small HTML badge for notebook frontends.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml() =>
        $"<div class=\"dlc-metric\" style=\"font-family:monospace\">&#128202; <b>{WebUtility.HtmlEncode(Name)}</b> = {Value.ToString("G6", CultureInfo.InvariantCulture)}</div>";
}
