using DeepLearning.Course.Formatting;
using DeepLearning.Course.Visualization;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Formatting;

public class FormatterTests
{
    public FormatterTests() => Formatters.Register();

    [Fact]
    public void A_tensor_renders_as_a_table_with_shape_dtype_and_device()
    {
        using var t = tensor(new float[,] { { 1.5f, 2 }, { 3, 4 } });
        var html = Formatter.ToDisplayString(t, "text/html");
        Assert.Contains("Tensor [2, 2] float32 cpu", html);
        Assert.Contains("<table", html);
        Assert.Contains(">1.5</td>", html);
        var text = Formatter.ToDisplayString(t, "text/plain");
        Assert.StartsWith("Tensor [2, 2] float32 cpu", text);
    }

    [Fact]
    public void A_big_tensor_is_truncated_with_ellipses_and_leading_dimensions_noted()
    {
        using var t = arange(3 * 100 * 100, dtype: ScalarType.Int64).reshape(3, 100, 100);
        var html = TensorHtml.ToHtml(t);
        Assert.Contains("Tensor [3, 100, 100] int64 cpu", html);
        Assert.Contains("showing [0, :, :]", html);
        Assert.Contains("⋮", html);
        Assert.Contains(">9999</td>", html); // last element of slice 0
        Assert.True(html.Length < 20_000, $"html is {html.Length} chars");
    }

    [Fact]
    public void A_plotly_chart_renders_a_div_and_a_script_that_uses_or_loads_plotly()
    {
        var chart = Charts.Line([1.0, 2, 3], [0.9, 0.5, 0.25], name: "train_loss", title: "Loss");
        var html = Formatter.ToDisplayString(chart, "text/html");
        Assert.Contains("<div id=\"dlc-plot-", html);
        Assert.Contains("typeof window.Plotly !== 'undefined'", html);
        Assert.Contains("https://cdn.plot.ly/plotly-2.28.0.min.js", html);
        Assert.Contains("\"name\":\"train_loss\"", html);
        Assert.Contains("\"y\":[0.9,0.5,0.25]", html);
        Assert.Contains("Plotly chart: 1 trace (scatter) \"Loss\"", Formatter.ToDisplayString(chart, "text/plain"));
    }

    [Fact]
    public void A_data_frame_renders_head_rows_and_column_types()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("id", Enumerable.Range(0, 25)),
            new StringDataFrameColumn("name", Enumerable.Range(0, 25).Select(i => $"item{i}")));
        var html = Formatter.ToDisplayString(frame, "text/html");
        Assert.Contains("DataFrame 25 rows &#215; 2 columns", html);
        Assert.Contains("DataFrame 25 rows × 2 columns", Formatter.ToDisplayString(frame, "text/plain"));
        Assert.Contains("item9", html);
        Assert.DoesNotContain("item10", html);
        Assert.Contains("15 more rows", html);
        Assert.Contains("int", html);
        Assert.Contains("name (string)", Formatter.ToDisplayString(frame, "text/plain"));
    }

    [Fact]
    public void An_xplot_chart_renders_with_the_same_plotly_loader()
    {
        // Given an XPlot chart (XPlot.Plotly is loaded by this test; the library finds it by reflection)
        var chart = XPlot.Plotly.Chart.Plot(new XPlot.Plotly.Scatter { x = new[] { 1, 2, 3 }, y = new[] { 4, 5, 6 } });
        Formatters.Register();
        XPlotHtml.RegisterWhenLoaded();
        // When it is formatted as HTML
        var html = Formatter.ToDisplayString(chart, "text/html");
        // Then it has its div, its data, and the window.Plotly-or-CDN loader
        Assert.Contains($"<div id=\"{chart.Id}\"", html);
        Assert.Contains("\"y\":[4,5,6]", html);
        Assert.Contains("typeof window.Plotly !== 'undefined'", html);
        Assert.Contains(PlotlyHtml.CdnUrl, html);
    }

    [Fact]
    public void Parameters_histories_and_summaries_use_the_course_formatters()
    {
        var layer = nn.Linear(2, 3);
        Assert.Contains("Tensor [3, 2] float32 cpu requires_grad", Formatter.ToDisplayString(layer.weight!, "text/html"));
        var summary = DeepLearning.Course.Visualization.ModelSummary.Of(layer, 1, 2);
        Assert.Contains("dlc-model-summary", Formatter.ToDisplayString(summary, "text/html"));
        Assert.Contains("total parameters 9", Formatter.ToDisplayString(summary, "text/plain"));
        var grid = ImageGrid.From(zeros(1, 4, 4));
        Assert.Contains("data:image/png;base64,", Formatter.ToDisplayString(grid, "text/html"));
    }
}
