using System.Diagnostics;

namespace NotebookRunner.Run;

/// <summary>
/// Progress display: one live line (notebook, cell k/N, elapsed) when stdout is a terminal,
/// plain lines otherwise (CI logs).
/// </summary>
internal sealed class Progress : IDisposable
{
    private readonly bool _live = !Console.IsOutputRedirected;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int K, int N, Stopwatch Clock)> _running = [];
    private readonly Timer? _timer;
    private readonly int _total;
    private int _finished;

    private static TextWriter Out => NotebookEngine.Execution.ConsoleCapture.RealOut;

    public Progress(int total)
    {
        _total = total;
        if (_live)
            _timer = new Timer(_ => Redraw(), null, 500, 500);
    }

    public void Started(string name)
    {
        lock (_gate)
            _running[name] = (0, 0, Stopwatch.StartNew());
        if (!_live)
            Out.WriteLine($"[{name}] started");
        Redraw();
    }

    public void Cell(string name, int k, int n)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(name, out var r))
                _running[name] = (k, n, r.Clock);
        }
        if (!_live)
            Out.WriteLine($"[{name}] cell {k}/{n}");
        Redraw();
    }

    public void Finished(string name, JobResult result)
    {
        lock (_gate)
        {
            _running.Remove(name);
            _finished++;
            var where = result.FailedCell is int c ? $" at cell {c}" : "";
            var exercises = result.Exercises.Count > 0 ? $", exercises {result.Exercises.Count(e => e.Solved)}/{result.Exercises.Count} solved" : "";
            var line = $"{result.Status.ToUpperInvariant(),-8} {name} ({result.Seconds:0.0} s, {result.Cells} cells{exercises}){where}";
            if (result.Error is not null)
                line += $"\n         {result.Error.Split('\n')[0]}";
            if (_live)
                Out.Write("\r\u001b[2K");
            Out.WriteLine(line);
        }
        Redraw();
    }

    public void Done()
    {
        _timer?.Dispose();
        if (_live)
        {
            lock (_gate)
                Out.Write("\r\u001b[2K");
        }
    }

    public void Dispose() => Done();

    private static int TerminalWidth()
    {
        try
        {
            var width = Console.WindowWidth;
            return width >= 40 ? width - 1 : 119;
        }
        catch (IOException)
        {
            return 119;
        }
    }

    private void Redraw()
    {
        if (!_live)
            return;
        lock (_gate)
        {
            var parts = _running.Select(r => r.Value.N > 0
                ? $"{r.Key} cell {r.Value.K}/{r.Value.N} {r.Value.Clock.Elapsed.TotalSeconds:0}s"
                : $"{r.Key} starting {r.Value.Clock.Elapsed.TotalSeconds:0}s");
            var text = $"[{_finished}/{_total}] {string.Join(" | ", parts)}";
            var width = TerminalWidth();
            if (text.Length > width)
                text = text[..width];
            Out.Write("\r\u001b[2K" + text);
        }
    }
}
