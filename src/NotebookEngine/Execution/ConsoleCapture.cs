using System.Text;

namespace NotebookEngine.Execution;

/// <summary>
/// Routes <see cref="Console.Out"/> and <see cref="Console.Error"/> to the cell that is running
/// (tracked per async flow), and to the process's real streams when no cell is running.
/// Installed once per process. Native code writing to file descriptors 1/2 is not captured.
/// <see cref="Console.In"/> is closed for cells: a notebook runs without a keyboard, so <c>Console.ReadLine()</c> returns
/// null at once (and says so on the cell's stderr) instead of waiting forever.
/// </summary>
public static class ConsoleCapture
{
    private static readonly AsyncLocal<CellOutputs?> s_current = new();
    private static readonly Lock s_installGate = new();
    private static volatile CellOutputs? s_fallback;
    private static TextWriter? s_realOut;
    private static TextWriter? s_realError;

    /// <summary>The process's stdout as it was before capture was installed.</summary>
    public static TextWriter RealOut => s_realOut ?? Console.Out;

    /// <summary>The process's stderr as it was before capture was installed.</summary>
    public static TextWriter RealError => s_realError ?? Console.Error;

    /// <summary>Installs the routing writers (idempotent).</summary>
    public static void Install()
    {
        lock (s_installGate)
        {
            if (s_realOut is not null)
                return;
            s_realOut = Console.Out;
            s_realError = Console.Error;
            Console.SetOut(new RoutingWriter("stdout", s_realOut));
            Console.SetError(new RoutingWriter("stderr", s_realError));
            Console.SetIn(new ClosedInput());
        }
    }

    /// <summary>Sends console writes of the current async flow (and stray threads) to <paramref name="outputs"/> until disposed.</summary>
    public static IDisposable Capture(CellOutputs outputs)
    {
        Install();
        var previous = s_current.Value;
        s_current.Value = outputs;
        s_fallback = outputs;
        return new Scope(() =>
        {
            s_current.Value = previous;
            s_fallback = null;
        });
    }

    private sealed class Scope(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }

    /// <summary>Standard input for cells: at its end from the start, with a note on stderr when a cell reads a line.</summary>
    private sealed class ClosedInput : TextReader
    {
        /// <summary>What a cell that reads a line is told.</summary>
        public const string Note = "Console.ReadLine: a notebook cell has no input (stdin is closed); it returned null.\n";

        public override int Peek() => -1;

        public override int Read() => -1;

        public override int Read(char[] buffer, int index, int count) => 0;

        public override string? ReadLine()
        {
            Console.Error.Write(Note);
            return null;
        }

        public override string ReadToEnd() => "";
    }

    private sealed class RoutingWriter(string name, TextWriter real) : TextWriter
    {
        public override Encoding Encoding => real.Encoding;

        private static CellOutputs? Target => s_current.Value ?? s_fallback;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (value is null)
                return;
            if (Target is { } target)
                target.WriteStream(name, value);
            else
                real.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? "") + "\n");

        public override void WriteLine() => Write("\n");

        public override void Flush()
        {
            if (Target is null)
                real.Flush();
        }
    }
}
