using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// The course's charts, returned as <see cref="Figure"/>s (plotly.js figures rendered inline by the
/// library's formatter). Traces and layouts are built from plotly.js attribute names.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (line and scatter charts); confusion matrices in 02, histograms in 03,
/// embedding scatter in 05, attention heatmaps in 06.
/// </remarks>
public static class Charts
{
    /// <summary>A line chart of one curve.</summary>
    /// <param name="x">X values.</param>
    /// <param name="y">Y values.</param>
    /// <param name="name">Legend name.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <returns>The chart.</returns>
    public static Figure Line(IEnumerable<double> x, IEnumerable<double> y, string? name = null,
        string? title = null, string? xLabel = null, string? yLabel = null) =>
        Lines([new Series(name ?? "y", x.ToArray(), y.ToArray())], title, xLabel, yLabel);

    /// <summary>A line chart of values against their index <c>0 .. n-1</c> (e.g. a loss per step).</summary>
    /// <param name="y">Y values.</param>
    /// <param name="name">Legend name.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <param name="logY">Log-scale y axis.</param>
    /// <returns>The chart.</returns>
    public static Figure Line(IEnumerable<double> y, string? name = null, string? title = null, string? xLabel = null,
        string? yLabel = null, bool logY = false) =>
        Lines([new Series(name ?? "y", y.ToArray())], title, xLabel, yLabel, logY);

    /// <summary>A line chart of a tensor's values (flattened) against their index <c>0 .. n-1</c>.</summary>
    /// <param name="y">A tensor; it is flattened.</param>
    /// <param name="name">Legend name.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <returns>The chart.</returns>
    public static Figure Line(Tensor y, string? name = null, string? title = null, string? xLabel = null, string? yLabel = null) =>
        Lines([new Series(name ?? "y", ToDoubles(y))], title, xLabel, yLabel);

    /// <summary>Curves of a training history against the epoch: the given keys, or every key when none are given.</summary>
    /// <param name="history">A history from <c>Trainer.Fit</c> or <c>GanTrainer.Fit</c>.</param>
    /// <param name="keys">Keys to draw (<c>train_loss</c>, <c>valid_accuracy</c>, ...).</param>
    /// <returns>The chart.</returns>
    public static Figure Lines(History history, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(history);
        var shown = keys.Length == 0 ? history.Keys.ToArray() : keys;
        return Lines(shown.Select(k => Series.From(history, k)), title: "Training history", xLabel: "epoch", yLabel: string.Join(", ", shown));
    }

    /// <summary>Several curves on shared axes (e.g. train and validation loss).</summary>
    /// <param name="series">The curves.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <param name="logY">Log-scale y axis.</param>
    /// <returns>The chart.</returns>
    public static Figure Lines(IEnumerable<Series> series, string? title = null, string? xLabel = null,
        string? yLabel = null, bool logY = false)
    {
        var traces = series.Select(s => Trace("scatter", ("mode", "lines+markers"), ("name", s.Name),
            ("x", s.X.ToArray()), ("y", s.Y.Select(NullIfNaN).ToArray()))).ToList();
        return Build(traces, Layout(title, xLabel, yLabel, logY: logY));
    }

    /// <summary>A scatter plot, optionally with a text label per point and a group (color) per point.</summary>
    /// <param name="x">X values.</param>
    /// <param name="y">Y values.</param>
    /// <param name="labels">Hover/text labels, one per point.</param>
    /// <param name="groups">Group per point; each group becomes a trace with its own color and legend entry.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <param name="showLabels">Draw labels beside the points (else only on hover).</param>
    /// <returns>The chart.</returns>
    public static Figure Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<string>? labels = null,
        IReadOnlyList<string>? groups = null, string? title = null, string? xLabel = null, string? yLabel = null, bool showLabels = false)
    {
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values but y has {y.Count}.");
        var index = Enumerable.Range(0, x.Count).ToList();
        var parts = groups is null ? [("points", index)] : index.GroupBy(i => groups[i]).Select(g => (g.Key, g.ToList())).ToList();
        var traces = parts.Select(p =>
        {
            var t = Trace("scatter", ("mode", showLabels && labels is not null ? "markers+text" : "markers"), ("name", p.Item1),
                ("x", p.Item2.Select(i => x[i]).ToArray()), ("y", p.Item2.Select(i => y[i]).ToArray()));
            if (labels is not null)
            {
                t.SetProperty("text", p.Item2.Select(i => labels[i]).ToArray());
                t.SetProperty("textposition", "top center");
            }
            return t;
        }).ToList();
        return Build(traces, Layout(title, xLabel, yLabel, showLegend: groups is not null));
    }

    /// <summary>A heatmap of a matrix with optional row/column labels and values written in the cells.</summary>
    /// <param name="z">Values, <c>z[row][column]</c>.</param>
    /// <param name="columnLabels">Labels along x.</param>
    /// <param name="rowLabels">Labels along y.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <param name="showValues">Write each value in its cell.</param>
    /// <param name="colorScale">A plotly.js color scale name.</param>
    /// <returns>The chart (row 0 at the top).</returns>
    public static Figure Heatmap(double[][] z, IReadOnlyList<string>? columnLabels = null, IReadOnlyList<string>? rowLabels = null,
        string? title = null, string? xLabel = null, string? yLabel = null, bool showValues = false, string colorScale = "Blues")
    {
        var trace = Trace("heatmap", ("z", z), ("colorscale", colorScale));
        if (columnLabels is not null) trace.SetProperty("x", columnLabels.ToArray());
        if (rowLabels is not null) trace.SetProperty("y", rowLabels.ToArray());
        if (showValues) trace.SetProperty("texttemplate", "%{z}");
        var layout = Layout(title, xLabel, yLabel, reverseY: true);
        return Build([trace], layout);
    }

    /// <summary>A heatmap of a 2-D tensor.</summary>
    /// <param name="matrix">A 2-D tensor.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The chart.</returns>
    public static Figure Heatmap(Tensor matrix, string? title = null) => Heatmap(ToRows(matrix), title: title);

    /// <summary>
    /// A confusion matrix: rows are true classes, columns predicted classes, cells count examples.
    /// </summary>
    /// <param name="predicted">Predicted class indices (or logits <c>[N, C]</c>, arg-maxed).</param>
    /// <param name="actual">True class indices <c>[N]</c>.</param>
    /// <param name="classNames">Class names, one per class.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The chart.</returns>
    public static Figure ConfusionMatrix(Tensor predicted, Tensor actual, IReadOnlyList<string> classNames, string title = "Confusion matrix")
    {
        var counts = ConfusionCounts(predicted, actual, classNames.Count);
        return Heatmap(counts.Select(r => r.Select(c => (double)c).ToArray()).ToArray(), classNames, classNames, title,
            xLabel: "predicted", yLabel: "actual", showValues: true);
    }

    /// <summary>Counts <c>[actual][predicted]</c> for <see cref="ConfusionMatrix"/>.</summary>
    /// <param name="predicted">Predicted class indices (or logits, arg-maxed over the last dimension).</param>
    /// <param name="actual">True class indices.</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>A <c>classes x classes</c> count matrix.</returns>
    public static long[][] ConfusionCounts(Tensor predicted, Tensor actual, int classes)
    {
        using var scope = NewDisposeScope();
        var p = (predicted.dim() > actual.dim() ? predicted.argmax(-1) : predicted).reshape(-1).to_type(ScalarType.Int64).cpu();
        var a = actual.reshape(-1).to_type(ScalarType.Int64).cpu();
        var flat = (a * classes + p).bincount(null, classes * classes).data<long>().ToArray();
        return Enumerable.Range(0, classes).Select(r => flat.Skip(r * classes).Take(classes).ToArray()).ToArray();
    }

    /// <summary>
    /// An attention heatmap: rows are queries, columns keys, cells attention weights.
    /// </summary>
    /// <param name="weights">A 2-D tensor <c>[queries, keys]</c> (leading dimensions are sliced at 0).</param>
    /// <param name="queryLabels">Query tokens (rows).</param>
    /// <param name="keyLabels">Key tokens (columns).</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The chart.</returns>
    public static Figure Attention(Tensor weights, IReadOnlyList<string>? queryLabels = null, IReadOnlyList<string>? keyLabels = null,
        string title = "Attention weights")
    {
        using var scope = NewDisposeScope();
        var w = weights.detach();
        while (w.dim() > 2) w = w[0];
        return Heatmap(ToRows(w), keyLabels, queryLabels, title, xLabel: "keys", yLabel: "queries", colorScale: "Reds");
    }

    /// <summary>A histogram of values.</summary>
    /// <param name="values">The values.</param>
    /// <param name="bins">Approximate number of bins.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X axis title.</param>
    /// <returns>The chart.</returns>
    public static Figure Histogram(IEnumerable<double> values, int bins = 50, string? title = null, string? xLabel = null)
    {
        var trace = Trace("histogram", ("x", values.ToArray()), ("nbinsx", bins));
        return Build([trace], Layout(title, xLabel, "count"));
    }

    /// <summary>A histogram of a tensor's values (e.g. weights or activations).</summary>
    /// <param name="values">Any tensor; it is flattened.</param>
    /// <param name="bins">Approximate number of bins.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The chart.</returns>
    public static Figure Histogram(Tensor values, int bins = 50, string? title = null) => Histogram((IEnumerable<double>)ToDoubles(values), bins, title);

    /// <summary>A bar chart.</summary>
    /// <param name="categories">Bar labels.</param>
    /// <param name="values">Bar heights.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yLabel">Y axis title.</param>
    /// <returns>The chart.</returns>
    public static Figure Bar(IReadOnlyList<string> categories, IReadOnlyList<double> values, string? title = null, string? yLabel = null)
    {
        var trace = Trace("bar", ("x", categories.ToArray()), ("y", values.ToArray()));
        return Build([trace], Layout(title, null, yLabel));
    }

    /// <summary>
    /// Embeddings in 2-D with a label per point: rows of <paramref name="embeddings"/> are projected
    /// onto their first two principal components (<see cref="Pca"/>) when they have more than two columns.
    /// </summary>
    /// <param name="embeddings">A 2-D tensor <c>[N, D]</c>.</param>
    /// <param name="labels">One label per row (e.g. words or movie titles).</param>
    /// <param name="groups">Optional group per row (colors).</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The chart.</returns>
    public static Figure EmbeddingScatter(Tensor embeddings, IReadOnlyList<string> labels, IReadOnlyList<string>? groups = null,
        string title = "Embeddings (PCA)")
    {
        using var scope = NewDisposeScope();
        var points = embeddings.shape[1] > 2 ? Pca.Fit(embeddings, 2).Transform(embeddings) : embeddings;
        var rows = ToRows(points);
        return Scatter(rows.Select(r => r[0]).ToArray(), rows.Select(r => r.Length > 1 ? r[1] : 0).ToArray(), labels, groups, title,
            "PC 1", "PC 2", showLabels: labels.Count <= 60);
    }

    internal static double[] Indices(int count, int first) => Enumerable.Range(first, count).Select(i => (double)i).ToArray();

    internal static double[] ToDoubles(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().reshape(-1).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    internal static double[][] ToRows(Tensor t)
    {
        if (t.dim() != 2) throw new ArgumentException($"Expected a 2-D tensor, got shape [{string.Join(", ", t.shape)}].");
        var cols = (int)t.shape[1];
        var flat = ToDoubles(t);
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }

    private static object? NullIfNaN(double v) => double.IsFinite(v) ? v : null;

    internal static PlotlyObject Trace(string type, params (string Key, object Value)[] properties)
    {
        var trace = new PlotlyObject().SetProperty("type", type);
        foreach (var (key, value) in properties) trace.SetProperty(key, value);
        return trace;
    }

    internal static PlotlyObject Layout(string? title, string? xLabel, string? yLabel, bool logY = false, bool reverseY = false,
        bool showLegend = true, int width = 640, int height = 420)
    {
        // Attribute order as Plotly.NET wrote it (its defaults first), so figures stay byte-for-byte the same.
        var layout = new PlotlyObject().SetProperty("width", width).SetProperty("height", height).SetProperty("template", Figure.DefaultTemplate);
        if (title is not null) layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        var x = new Dictionary<string, object>();
        if (xLabel is not null) x["title"] = new Dictionary<string, object> { ["text"] = xLabel };
        var y = new Dictionary<string, object>();
        if (yLabel is not null) y["title"] = new Dictionary<string, object> { ["text"] = yLabel };
        if (logY) y["type"] = "log";
        if (reverseY) y["autorange"] = "reversed";
        layout.SetProperty("xaxis", x);
        layout.SetProperty("yaxis", y);
        layout.SetProperty("showlegend", showLegend);
        return layout;
    }

    internal static Figure Build(IReadOnlyList<PlotlyObject> traces, PlotlyObject layout) => new(traces, layout);
}
