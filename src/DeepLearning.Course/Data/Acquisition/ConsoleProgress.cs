using System.Diagnostics;

namespace DeepLearning.Course.Data;

/// <summary>The default download progress display: a throttled one-line text bar on the console.</summary>
/// <remarks>
/// Introduced in chapter 01 (basics). On an interactive terminal it redraws one line; when output is
/// captured (a notebook, a log) it writes a new line at most every two seconds.
/// </remarks>
public static class ConsoleProgress
{
    /// <summary>Creates a reporter with its own throttle clock.</summary>
    /// <returns>A callback for <see cref="DatasetLocatorOptions.Progress"/>.</returns>
    public static Action<DownloadProgress> Create()
    {
        var interactive = !Console.IsOutputRedirected;
        var interval = TimeSpan.FromSeconds(interactive ? 0.25 : 2);
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.MinValue;
        return p =>
        {
            if (!p.Done && last != TimeSpan.MinValue && clock.Elapsed - last < interval) return;
            if (!p.Done && last == TimeSpan.MinValue && interactive is false)
            {
                last = clock.Elapsed;
                Console.WriteLine($"Downloading {p.Render()}");
                return;
            }
            last = clock.Elapsed;
            if (interactive) Console.Write("\r" + p.Render() + (p.Done ? Environment.NewLine : ""));
            else Console.WriteLine(p.Render());
        };
    }
}
