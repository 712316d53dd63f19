using System.Text.Json;

namespace NotebookEngine.Documents;

/// <summary>A notebook file that cannot be read: the message names the file and the cause.</summary>
public sealed class NotebookFileException : IOException
{
    /// <summary>Creates the error for <paramref name="path"/> with <paramref name="cause"/> (a phrase: "is empty", "is not valid JSON: …").</summary>
    public NotebookFileException(string path, string cause, Exception? inner = null)
        : base($"{path}: {cause}", inner)
    {
        Path = path;
        Cause = cause;
    }

    /// <summary>The notebook's path as given.</summary>
    public string Path { get; }

    /// <summary>Why it cannot be read.</summary>
    public string Cause { get; }
}

/// <summary>Loads and saves notebooks by file extension (<c>.ipynb</c> or <c>.dib</c>).</summary>
public static class NotebookFile
{
    /// <summary>The largest notebook file read (256 MiB): anything larger is refused rather than read into memory.</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>True when <paramref name="path"/> names a notebook this engine reads.</summary>
    public static bool IsNotebook(string path) =>
        path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a notebook file. The path is examined before it is opened: folders, FIFOs, devices, dangling symbolic
    /// links, link loops, empty and oversized files are refused without blocking.
    /// </summary>
    /// <exception cref="NotebookFileException">The file cannot be read or is not a notebook; the message names the file and the cause.</exception>
    public static NotebookDocument Load(string path)
    {
        var text = ReadText(path);
        try
        {
            return path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? DibFormat.Read(text) : IpynbFormat.Read(text);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            throw new NotebookFileException(path, $"is not valid JSON{where}: {FirstSentence(e.Message)}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new NotebookFileException(path, $"is not a notebook this engine reads: {e.Message}", e);
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be read as a notebook file (null when it can be opened safely).</summary>
    public static string? Unreadable(string path)
    {
        var info = PathInspector.Inspect(path);
        return info.Kind switch
        {
            PathKind.File when info.Size == 0 => "is empty (0 bytes), or not a regular file",
            PathKind.File when info.Size > MaxBytes => $"is {info.Size >> 20} MiB; notebooks larger than {MaxBytes >> 20} MiB are not read",
            PathKind.File => null,
            PathKind.Directory => "is a folder, not a notebook file",
            PathKind.Fifo => "is a named pipe (FIFO), not a regular file; it was not opened (reading it would wait for a writer)",
            PathKind.Special => "is a device or socket, not a regular file; it was not opened",
            PathKind.DanglingLink => $"is a symbolic link to {info.LinkTarget ?? "a path"}, which does not exist",
            PathKind.LinkLoop => "is a symbolic link loop (too many levels of symbolic links)",
            PathKind.Unreadable => "cannot be examined (permission denied)",
            _ => "does not exist",
        };
    }

    private static string ReadText(string path)
    {
        if (Unreadable(path) is { } cause)
            throw new NotebookFileException(path, cause);
        try
        {
            return File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NotebookFileException(path, "cannot be read (permission denied)", e);
        }
        catch (IOException e)
        {
            throw new NotebookFileException(path, $"cannot be read: {e.Message}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>
    /// Writes a notebook atomically: to a temporary file beside the target, then renamed over it,
    /// so a crash never leaves a half-written notebook. <c>.dib</c> targets get <c>.dib</c> text
    /// (no outputs); anything else gets nbformat JSON.
    /// </summary>
    public static void SaveAtomically(NotebookDocument doc, string path)
    {
        var text = path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? DibFormat.Write(doc) : IpynbFormat.Write(doc);
        WriteAllTextAtomically(path, text);
    }

    /// <summary>The prefix of the temporary files <see cref="WriteAllTextAtomically"/> writes beside its target.</summary>
    public const string TempPrefix = ".";

    /// <summary>
    /// Writes text to a temporary file beside <paramref name="path"/> (<c>.NAME.PID.GUID.tmp</c>), then renames it over
    /// <paramref name="path"/>; the temporary file is removed when writing fails. A process killed mid-write leaves
    /// only that temporary file, never a half-written target (<see cref="RemoveStaleTemporaryFiles"/> removes it later).
    /// </summary>
    public static void WriteAllTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            throw;
        }
    }

    /// <summary>
    /// Deletes temporary files <see cref="WriteAllTextAtomically"/> left in <paramref name="folder"/> (and below) by
    /// processes that are no longer running (killed mid-write); returns how many were removed.
    /// </summary>
    public static int RemoveStaleTemporaryFiles(string folder)
    {
        if (!Directory.Exists(folder))
            return 0;
        var removed = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
            {
                var parts = Path.GetFileName(file).Split('.');
                // . NAME(with dots) . PID . GUID . tmp
                if (parts.Length < 5 || !int.TryParse(parts[^3], out var pid) || parts[^2].Length != 32 || ProcessIsRunning(pid))
                    continue;
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return removed;
    }

    /// <summary>True when a process with id <paramref name="pid"/> is running.</summary>
    public static bool ProcessIsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        if (OperatingSystem.IsLinux())
            return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
