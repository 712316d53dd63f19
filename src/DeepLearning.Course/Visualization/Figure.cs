using System.Globalization;
using System.Text.Json;
using DeepLearning.Course.Formatting;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// A chart: a plotly.js figure (traces, layout, config) that notebooks render inline through the
/// library's formatter (<see cref="PlotlyHtml"/>). It is the course's own small type, with no F#
/// dependency, so the same charts load in every host: the course's engine and kernel, Microsoft's .NET
/// Interactive (whose process already carries its own FSharp.Core) and plain console programs.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics): every <see cref="Charts"/> method returns one. Its JSON is
/// what Plotly.NET 6.0 wrote for the same charts, including Plotly.NET's default template, so charts
/// look as they did when the library drew with Plotly.NET.
/// </remarks>
public sealed class Figure
{
    private static readonly Lazy<JsonElement> PlotlyTemplate = new(LoadTemplate);

    /// <summary>Creates a figure.</summary>
    /// <param name="data">The traces, drawn in order.</param>
    /// <param name="layout">The layout (titles, axes, size); empty when null.</param>
    /// <param name="config">The plotly.js config; <c>{"responsive":true}</c> when null.</param>
    public Figure(IEnumerable<PlotlyObject> data, PlotlyObject? layout = null, PlotlyObject? config = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data.ToList();
        Layout = layout ?? new PlotlyObject();
        Config = config ?? new PlotlyObject().SetProperty("responsive", true);
    }

    /// <summary>The traces (plotly.js <c>data</c>).</summary>
    public IReadOnlyList<PlotlyObject> Data { get; }

    /// <summary>The plotly.js layout.</summary>
    public PlotlyObject Layout { get; }

    /// <summary>The plotly.js config.</summary>
    public PlotlyObject Config { get; }

    /// <summary>
    /// The look of every course chart: Plotly.NET's default template (plotly.py's "plotly" template:
    /// light blue-grey plot area, white grid, the ten-colour colorway starting with #636efa), as the
    /// value of the layout's <c>template</c> attribute.
    /// </summary>
    public static JsonElement DefaultTemplate => PlotlyTemplate.Value;

    /// <summary>The title text, when the layout has one.</summary>
    public string? Title => Layout.TryGetProperty("title", out var title) ? title switch
    {
        string text => text,
        PlotlyObject o when o.TryGetProperty("text", out var text) => Convert.ToString(text, CultureInfo.InvariantCulture),
        IDictionary<string, object> d when d.TryGetValue("text", out var text) => Convert.ToString(text, CultureInfo.InvariantCulture),
        IDictionary<string, object?> d when d.TryGetValue("text", out var text) => Convert.ToString(text, CultureInfo.InvariantCulture),
        _ => null,
    } : null;

    /// <summary>The figure JSON plotly.js draws: <c>{"data":[...],"layout":{...},"config":{...}}</c>.</summary>
    /// <returns>Compact JSON.</returns>
    public string ToJson() => PlotlyJson.Write(new PlotlyObject().SetProperty("data", Data).SetProperty("layout", Layout).SetProperty("config", Config));

    /// <summary>One line: trace count and kinds, and the title.</summary>
    /// <returns>E.g. <c>Plotly chart: 2 traces (scatter, scatter) "Loss"</c>.</returns>
    public override string ToString()
    {
        var kinds = string.Join(", ", Data.Select(t => t.TryGetProperty("type", out var type) ? type : "scatter"));
        var title = Title is { } text ? $" \"{text}\"" : "";
        return $"Plotly chart: {Data.Count} trace{(Data.Count == 1 ? "" : "s")} ({kinds}){title}";
    }

    private static JsonElement LoadTemplate()
    {
        using var stream = typeof(Figure).Assembly.GetManifestResourceStream("DeepLearning.Course.Visualization.plotly-template.json")
            ?? throw new InvalidOperationException("the library was built without its plotly template resource");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }
}
