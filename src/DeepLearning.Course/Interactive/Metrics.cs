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
        Formatters.Register();
        var record = new MetricRecord(name, value);
        Values[name] = value;
        Notebook.Display(record, "text/html", "text/plain", MimeType);
        return record;
    }
}

/// <summary>One recorded metric: a name and its value.</summary>
/// <param name="Name">Metric name, e.g. <c>test_accuracy</c>.</param>
/// <param name="Value">The measured value.</param>
/// <remarks>Introduced in chapter 01 (basics); produced by <see cref="Metrics.Record"/>.</remarks>
public sealed record MetricRecord(string Name, double Value)
{
    /// <summary>The JSON payload the runner collects: <c>{"name":"...","value":...}</c>.</summary>
    /// <returns>Compact JSON; non-finite values are written as <c>null</c>.</returns>
    public string ToJson()
    {
        var value = double.IsFinite(Value) ? Value.ToString("R", CultureInfo.InvariantCulture) : "null";
        return $"{{\"name\":{System.Text.Json.JsonSerializer.Serialize(Name)},\"value\":{value}}}";
    }

    /// <summary>Plain-text form: <c>metric test_accuracy = 0.91</c>.</summary>
    /// <returns>One line.</returns>
    public override string ToString() =>
        $"metric {Name} = {Value.ToString("G6", CultureInfo.InvariantCulture)}";

    /// <summary>A small HTML badge for notebook frontends.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml() =>
        $"<div class=\"dlc-metric\" style=\"font-family:monospace\">&#128202; <b>{WebUtility.HtmlEncode(Name)}</b> = {Value.ToString("G6", CultureInfo.InvariantCulture)}</div>";
}
