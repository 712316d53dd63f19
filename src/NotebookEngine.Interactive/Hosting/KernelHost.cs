namespace Microsoft.DotNet.Interactive.Hosting;

/// <summary>Receives what notebook code displays; implemented by the engine (or a kernel) that runs the code.</summary>
public interface IDisplaySink
{
    /// <summary>Shows <paramref name="value"/> as a new output formatted with <paramref name="mimeTypes"/>.</summary>
    void Publish(DisplayedValue displayed, object? value, IReadOnlyList<string> mimeTypes);

    /// <summary>Replaces the output shown for <paramref name="displayed"/> with <paramref name="value"/>.</summary>
    void Update(DisplayedValue displayed, object? value);
}

/// <summary>
/// Connects the Polyglot-compatible display API to whatever is running the notebook code.
/// The current sink flows with the async context of the cell that is running; a process-wide
/// fallback catches code that escapes it (threads started without execution context flow).
/// </summary>
public static class KernelHost
{
    private static readonly AsyncLocal<IDisplaySink?> s_current = new();
    private static volatile IDisplaySink? s_fallback;

    /// <summary>The sink for the code running now, or null when no engine is hosting it.</summary>
    public static IDisplaySink? Current => s_current.Value ?? s_fallback;

    /// <summary>Makes <paramref name="sink"/> current for this async flow (and the process fallback) until disposed.</summary>
    public static IDisposable Use(IDisplaySink sink)
    {
        var previous = s_current.Value;
        var previousFallback = s_fallback;
        s_current.Value = sink;
        s_fallback = sink;
        return new Restore(() =>
        {
            s_current.Value = previous;
            s_fallback = previousFallback;
        });
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
