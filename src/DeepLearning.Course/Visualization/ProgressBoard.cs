using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeepLearning.Course.Formatting;
using DeepLearning.Course.Interactive;
using DeepLearning.Course.Training;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// A live training display (d2l's <c>ProgressBoard</c>): curves of every loss and metric plus an
/// epoch progress bar, redrawn in place in the notebook through <see cref="DisplayHandle.Update"/>
/// at most <see cref="MaxUpdatesPerSecond"/> times a second (the final state is always drawn).
/// Outside a notebook it prints one line per epoch instead.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics); the <see cref="Trainer"/> draws on it for every chapter.</remarks>
public sealed class ProgressBoard
{
    /// <summary>Redraw budget in a notebook.</summary>
    public const double MaxUpdatesPerSecond = 2;

    private readonly Dictionary<string, (List<double> X, List<double> Y)> _series = new(StringComparer.Ordinal);
    private readonly Stopwatch _sinceDraw = new();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private DisplayHandle? _handle;
    private bool? _live;
    private int _epoch;
    private int _batch;
    private double _lastLoss = double.NaN;
    private string _status = "starting";

    /// <summary>Creates a board.</summary>
    /// <param name="totalEpochs">Epochs planned (for the progress bar).</param>
    /// <param name="xLabel">X axis title.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="unit">What the progress bar counts, named in the status line (a reinforcement learner's "step").</param>
    /// <param name="part">What the inner count is, named in the status line (a reinforcement learner's "episode").</param>
    public ProgressBoard(int totalEpochs, string xLabel = "epoch", string title = "Training", string unit = "epoch", string part = "batch")
    {
        TotalEpochs = totalEpochs;
        Unit = unit;
        Part = part;
        XLabel = xLabel;
        Title = title;
    }

    /// <summary>Epochs planned.</summary>
    public int TotalEpochs { get; }

    /// <summary>What the progress bar counts ("epoch").</summary>
    public string Unit { get; }

    /// <summary>What the inner count is ("batch").</summary>
    public string Part { get; }

    /// <summary>X axis title.</summary>
    public string XLabel { get; }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>How many times the notebook output was redrawn (for tests and curiosity).</summary>
    public int Redraws { get; private set; }

    /// <summary>The curves drawn so far, by name.</summary>
    public IReadOnlyDictionary<string, (List<double> X, List<double> Y)> Curves => _series;

    /// <summary>Adds a point to curve <paramref name="name"/> and redraws if the throttle allows (d2l's <c>board.draw</c>).</summary>
    /// <param name="name">Curve name.</param>
    /// <param name="x">X value.</param>
    /// <param name="y">Y value.</param>
    public void Draw(string name, double x, double y)
    {
        if (!_series.TryGetValue(name, out var s)) _series[name] = s = ([], []);
        s.X.Add(x);
        s.Y.Add(y);
        Render(force: false);
    }

    /// <summary>Reports progress within an epoch (updates the bar and the current loss).</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="loss">The batch's loss.</param>
    public void Batch(int epoch, int batch, double loss)
    {
        _epoch = epoch;
        _batch = batch + 1;
        _lastLoss = loss;
        _status = "training";
        Render(force: false);
    }

    /// <summary>Adds an epoch's values to the curves and redraws (throttled).</summary>
    /// <param name="record">The finished epoch.</param>
    public void EndEpoch(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _epoch = record.Epoch;
        foreach (var (key, value) in record.Values)
        {
            if (!_series.TryGetValue(key, out var s)) _series[key] = s = ([], []);
            s.X.Add(record.Epoch);
            s.Y.Add(value);
        }
        if (IsLive) Render(force: false);
        else Notebook.WriteToConsole($"epoch {record.Epoch}/{TotalEpochs}  " + record.ToString()[(record.ToString().IndexOf("  ", StringComparison.Ordinal) + 2)..]);
    }

    /// <summary>Draws the final state (always, regardless of the throttle).</summary>
    /// <param name="message">A closing line, e.g. why training stopped.</param>
    public void Finish(string message)
    {
        _status = message;
        if (IsLive) Render(force: true);
        else Notebook.WriteToConsole(message);
    }

    private bool IsLive => _live ??= Notebook.HasFrontend;

    private void Render(bool force)
    {
        if (!IsLive) return;
        if (!force && _sinceDraw.IsRunning && _sinceDraw.Elapsed.TotalSeconds < 1 / MaxUpdatesPerSecond) return;
        if (_handle is null) _handle = Notebook.Display(this, "text/html", "text/plain");
        else _handle.Update(this);
        Redraws++;
        _sinceDraw.Restart();
    }

    /// <summary>The status line: <c>epoch 3/10 · batch 120 · loss 0.43 · 12.3 s</c>.</summary>
    /// <returns>One line.</returns>
    public string StatusLine()
    {
        var loss = double.IsNaN(_lastLoss) ? "" : $" · loss {_lastLoss.ToString("G4", CultureInfo.InvariantCulture)}";
        return $"{Unit} {_epoch}/{TotalEpochs} · {Part} {_batch}{loss} · {_elapsed.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s · {_status}";
    }

    /// <summary>The board as HTML: a progress bar, the status line and the curves.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"dlc-progress-board\">");
        html.Append("<progress max=\"").Append(TotalEpochs).Append("\" value=\"").Append(_epoch).Append("\" style=\"width:320px\"></progress> ");
        html.Append("<span style=\"font-family:monospace\">").Append(PlotlyHtml.Encode(StatusLine())).Append("</span>");
        if (_series.Count > 0)
        {
            var chart = Charts.Lines(_series.Select(kv => new Series(kv.Key, kv.Value.X, kv.Value.Y)), Title, XLabel, null);
            html.Append(PlotlyHtml.ToHtml(chart));
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>Plain text: the status line and the latest value of each curve.</summary>
    /// <returns>Text.</returns>
    public override string ToString()
    {
        var latest = string.Join("  ", _series.Select(kv => $"{kv.Key} {kv.Value.Y[^1].ToString("G4", CultureInfo.InvariantCulture)}"));
        return latest.Length == 0 ? StatusLine() : StatusLine() + "\n" + latest;
    }
}
