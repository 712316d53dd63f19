namespace NotebookEngine.Documents;

/// <summary>Loads and saves notebooks by file extension (<c>.ipynb</c> or <c>.dib</c>).</summary>
public static class NotebookFile
{
    /// <summary>True when <paramref name="path"/> names a notebook this engine reads.</summary>
    public static bool IsNotebook(string path) =>
        path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a notebook file.</summary>
    public static NotebookDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        return path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? DibFormat.Read(text) : IpynbFormat.Read(text);
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

    /// <summary>Writes text to a temporary file beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAllTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}
