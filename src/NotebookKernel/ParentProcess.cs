namespace NotebookKernel;

/// <summary>The process that started this one, so a kernel (or its worker) ends when it is gone, as ipykernel's parent poller does.</summary>
internal static class ParentProcess
{
    /// <summary>The parent's process id (Linux: from <c>/proc</c>); null where it cannot be read.</summary>
    public static int? Id()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            // /proc/self/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
