using System.Globalization;
using System.Text;
using DeepLearning.Course.Formatting;
using DeepLearning.Course.Visualization;
using Microsoft.Data.Analysis;

namespace DeepLearning.Course.Training;

/// <summary>
/// What <c>Trainer.Fit</c> returns: one <see cref="EpochRecord"/> per epoch, the best
/// epoch by the monitored key, why training stopped, and views as a table and as curves.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): the payoff cell ends with <c>history.PlotLosses()</c>.</remarks>
public sealed class History
{
    private readonly List<EpochRecord> _epochs = [];

    internal History(string monitor, MonitorMode mode)
    {
        Monitor = monitor;
        Mode = mode;
    }

    /// <summary>Per-epoch records in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The key that decides the best epoch (e.g. <c>valid_loss</c>).</summary>
    public string Monitor { get; }

    /// <summary>Whether <see cref="Monitor"/> should fall or rise.</summary>
    public MonitorMode Mode { get; }

    /// <summary>1-based number of the best epoch by <see cref="Monitor"/> (0 when no epoch ran).</summary>
    public int BestEpoch { get; internal set; }

    /// <summary>The best value of <see cref="Monitor"/> (NaN when no epoch ran).</summary>
    public double BestValue { get; internal set; } = double.NaN;

    /// <summary>True when early stopping ended training before the last epoch.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>Why training stopped, in words.</summary>
    public string StopReason { get; internal set; } = "";

    /// <summary>Every key recorded (<c>train_loss</c>, <c>valid_loss</c>, <c>train_accuracy</c>, ...).</summary>
    public IReadOnlyList<string> Keys => _epochs.SelectMany(e => e.Values.Keys).Distinct().ToList();

    /// <summary>The series of one key, one value per epoch (NaN where an epoch lacks it).</summary>
    /// <param name="key">A key such as <c>train_loss</c>.</param>
    public IReadOnlyList<double> this[string key] =>
        _epochs.Select(e => e.Values.TryGetValue(key, out var v) ? v : double.NaN).ToList();

    /// <summary>The last epoch's record.</summary>
    public EpochRecord Last => _epochs.Count > 0 ? _epochs[^1] : throw new InvalidOperationException("No epoch has run.");

    internal void Add(EpochRecord record) => _epochs.Add(record);

    /// <summary>The history as a table: an <c>epoch</c> column, one column per key, and <c>seconds</c>.</summary>
    /// <returns>A new data frame with one row per epoch.</returns>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new Int32DataFrameColumn("epoch", _epochs.Select(e => e.Epoch)) };
        foreach (var key in Keys) columns.Add(new DoubleDataFrameColumn(key, this[key]));
        columns.Add(new DoubleDataFrameColumn("seconds", _epochs.Select(e => e.Duration.TotalSeconds)));
        return new DataFrame(columns);
    }

    /// <summary>Loss curves: every key containing <c>loss</c>, against the epoch.</summary>
    /// <param name="logScale">Plot the y axis on a log scale.</param>
    /// <returns>A chart.</returns>
    public Figure PlotLosses(bool logScale = false) =>
        Plot(Keys.Where(k => k.Contains("loss", StringComparison.Ordinal)).ToArray(), "Loss", logScale);

    /// <summary>Curves of the given keys (all keys when none are given) against the epoch.</summary>
    /// <param name="keys">Keys to plot.</param>
    /// <returns>A chart.</returns>
    public Figure Plot(params string[] keys) => Charts.Lines(this, keys);

    private Figure Plot(string[] keys, string? yLabel, bool logScale) =>
        Charts.Lines(keys.Select(k => Series.From(this, k)), title: "Training history",
            xLabel: "epoch", yLabel: yLabel ?? string.Join(", ", keys), logY: logScale);

    /// <summary>Plain-text table of the epochs plus the best epoch.</summary>
    /// <returns>Multi-line text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder($"History: {_epochs.Count} epochs, best epoch {BestEpoch} ({Monitor} {BestValue.ToString("G4", CultureInfo.InvariantCulture)})");
        if (StopReason.Length > 0) text.Append(". ").Append(StopReason);
        foreach (var e in _epochs) text.Append('\n').Append(e);
        return text.ToString();
    }

    /// <summary>An HTML table of the epochs with the best row highlighted.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var keys = Keys;
        var html = new StringBuilder("<div class=\"dlc-history\"><div style=\"font-family:monospace;font-weight:bold\">");
        html.Append(PlotlyHtml.Encode($"History: {_epochs.Count} epochs, best epoch {BestEpoch} ({Monitor} {BestValue.ToString("G4", CultureInfo.InvariantCulture)}). {StopReason}"));
        html.Append("</div><table style=\"font-family:monospace;border-collapse:collapse\"><tr><th>epoch</th>");
        foreach (var k in keys) html.Append("<th style=\"padding:1px 6px\">").Append(PlotlyHtml.Encode(k)).Append("</th>");
        html.Append("<th>lr</th><th>seconds</th></tr>");
        foreach (var e in _epochs)
        {
            html.Append(e.Epoch == BestEpoch ? "<tr style=\"background:#e8f4e8\">" : "<tr>").Append("<td>").Append(e.Epoch).Append("</td>");
            foreach (var k in keys)
                html.Append("<td style=\"padding:1px 6px;text-align:right\">")
                    .Append(e.Values.TryGetValue(k, out var v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "").Append("</td>");
            html.Append("<td>").Append(e.LearningRate.ToString("G3", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(e.Duration.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }
        html.Append("</table></div>");
        return html.ToString();
    }
}
