namespace NotebookEngine;

/// <summary>
/// Callbacks invoked with the full path of each native library a <c>#r "nuget: ..."</c> restore
/// resolves, before the engine makes it loadable (the runner wires the libstdc++ compatibility
/// patcher here). A callback may rewrite the file in place; exceptions are reported on stderr and
/// do not fail the cell.
/// </summary>
public static class NativeAssetHooks
{
    private static readonly List<Action<string>> s_callbacks = [];

    /// <summary>The registered callbacks (add to this list, or use <see cref="Register"/>).</summary>
    public static IList<Action<string>> Callbacks => s_callbacks;

    /// <summary>Registers a callback.</summary>
    public static void Register(Action<string> callback)
    {
        lock (s_callbacks)
            s_callbacks.Add(callback);
    }

    internal static void Invoke(string nativeLibraryPath)
    {
        Action<string>[] callbacks;
        lock (s_callbacks)
            callbacks = [.. s_callbacks];
        foreach (var callback in callbacks)
        {
            try
            {
                callback(nativeLibraryPath);
            }
            catch (Exception e)
            {
                Execution.ConsoleCapture.RealError.WriteLine($"native asset hook failed for {nativeLibraryPath}: {e.Message}");
            }
        }
    }
}
