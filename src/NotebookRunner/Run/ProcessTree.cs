using System.Diagnostics;

namespace NotebookRunner.Run;

/// <summary>
/// The processes a notebook process started (Linux: read from <c>/proc</c>), ended with it, and the watch that ends a
/// notebook process when the runner that started it is gone. Elsewhere both do nothing.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Kills every live descendant of this process (a cell's <c>Process.Start</c> and what that started); returns how many.</summary>
    public static int KillDescendants()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ParentOf(pid) is not int parent)
                continue;
            if (!children.TryGetValue(parent, out var list))
                children[parent] = list = [];
            list.Add(pid);
        }
        var killed = 0;
        var queue = new Queue<int>(children.GetValueOrDefault(Environment.ProcessId) ?? []);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
                queue.Enqueue(child);
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
        return killed;
    }

    /// <summary>
    /// Ends this process (after killing its descendants) as soon as its parent is gone, checked every half second: a
    /// runner killed with SIGKILL leaves no notebook process running on.
    /// </summary>
    public static void ExitWhenParentDies()
    {
        if (!OperatingSystem.IsLinux() || ParentOf(Environment.ProcessId) is not int parent)
            return;
        var thread = new Thread(() =>
        {
            while (ParentOf(Environment.ProcessId) == parent)
                Thread.Sleep(500);
            KillDescendants();
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
