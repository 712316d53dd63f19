using System.Collections.Concurrent;

namespace NotebookKernel;

/// <summary>
/// Why a process that ran cells died, read from its stderr lines and its exit code: the runtime's own line
/// ("Stack overflow.", "Unhandled exception. …", "Process terminated. …"), or the C++ runtime's
/// "terminate called after throwing …" with the native library's <c>what():</c> message (libtorch's errors
/// that TorchSharp lets escape, which abort the process). Used by the kernel's supervisor and by <c>run</c>.
/// </summary>
public sealed class CrashReport
{
    /// <summary>How many of the last stderr lines are kept.</summary>
    public const int TailLength = 20;

    /// <summary>The exit code .NET reports for a child ended by SIGABRT (128 + 6).</summary>
    public const int AbortExitCode = 134;

    private readonly ConcurrentQueue<string> _tail = new();
    private volatile string? _fatal;
    private volatile string? _native;
    private volatile bool _terminated;

    /// <summary>The runtime's first line about why the process died, kept even when thousands of frames follow it.</summary>
    public string? Fatal => _fatal;

    /// <summary>The native library's message (the <c>what():</c> line after "terminate called after throwing").</summary>
    public string? NativeError => _native;

    /// <summary>The last <see cref="TailLength"/> lines seen.</summary>
    public IReadOnlyList<string> Tail => [.. _tail];

    /// <summary>Takes one stderr line of the process (callable from any thread).</summary>
    public void Observe(string line)
    {
        var trimmed = line.Trim();
        if (_fatal is null && (trimmed.StartsWith("Stack overflow", StringComparison.Ordinal) || trimmed.StartsWith("Unhandled exception", StringComparison.Ordinal)
            || trimmed.StartsWith("Process terminated", StringComparison.Ordinal) || trimmed.StartsWith("Fatal error", StringComparison.Ordinal)))
            _fatal = trimmed;
        if (trimmed.StartsWith("terminate called", StringComparison.Ordinal))
            _terminated = true;
        else if (_terminated && _native is null && trimmed.StartsWith("what():", StringComparison.Ordinal))
            _native = trimmed["what():".Length..].Trim();
        _tail.Enqueue(line);
        while (_tail.Count > TailLength)
            _tail.TryDequeue(out _);
    }

    /// <summary>True when the process died of a stack overflow.</summary>
    public bool StackOverflow => _fatal?.StartsWith("Stack overflow", StringComparison.Ordinal) == true;

    /// <summary>
    /// One line naming the cause, for a report: the runtime's line ("Stack overflow."), the native library's
    /// abort with its message, or what the exit code says (SIGABRT, SIGSEGV, SIGKILL); null when nothing is known.
    /// </summary>
    public string? Reason(int exitCode)
    {
        if (StackOverflow)
            return _fatal;
        if (_native is not null || _terminated)
            return "the native library aborted the process (SIGABRT)" + (_native is null ? "" : $": {_native}");
        if (_fatal is not null)
            return _fatal;
        return Signal(exitCode) switch
        {
            "SIGABRT" => "the process aborted (SIGABRT), most likely in native code",
            "SIGSEGV" => "the process crashed in native code (SIGSEGV)",
            "SIGKILL" => "the process was killed (SIGKILL; the system may have run out of memory)",
            { } other => $"the process was ended by {other}",
            null => null,
        };
    }

    /// <summary>
    /// What a learner reads when the kernel's process died: the cause, then that the kernel restarted and every
    /// variable is lost. <paramref name="running"/>: a cell was running (the message goes under it).
    /// </summary>
    public string CellMessage(int exitCode, bool running = true)
    {
        var when = running ? "while running this cell" : "while no cell was running";
        const string lost = " The kernel restarted and all variables are lost; re-run the cells above.";
        if (StackOverflow)
            return $"Stack overflow {when} (the .NET runtime printed \"{_fatal}\"): a method or lambda probably calls itself without end; .NET cannot survive it, so the kernel process ended.{lost}";
        if (_native is not null || _terminated || (_fatal is null && Signal(exitCode) == "SIGABRT"))
            return $"The native library crashed (SIGABRT) {when}" + (_native is null ? "." : $": {_native}.")
                + (_native?.Contains("shapes cannot be multiplied", StringComparison.Ordinal) == true ? " Check the operands' .shape before matmul (or use mm/bmm, which throw)." : "")
                + lost;
        if (_fatal is not null)
            return $"The kernel process ended {when}: {_fatal}{(_fatal.EndsWith('.') ? "" : ".")}{lost}";
        return Signal(exitCode) is { } signal
            ? $"The kernel process ended {when} ({signal}{(signal == "SIGKILL" ? "; the system may have run out of memory" : "")}).{lost}"
            : $"The kernel process ended {when} (exit code {exitCode}).{lost}";
    }

    /// <summary>The signal that ended a child, from .NET's exit code (128 + signal number on Unix); null for a normal exit.</summary>
    public static string? Signal(int exitCode) => OperatingSystem.IsWindows() ? null : (exitCode - 128) switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => null,
    };
}
