using System.Collections.Concurrent;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Chapters;

/// <summary>
/// The course runner's quick-mode run of one chapter (<c>run CHAPTER -p quick=true</c>, its executed copy under
/// <c>artifacts/test-executed</c> and its report beside it), once per test process: the chapter test and the tests that
/// compare another host's metrics with the runner's (the exported file-based app) share it instead of running it twice.
/// </summary>
internal static class ChapterRun
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<(int Code, string Log, string Report)>>> s_runs = new(StringComparer.Ordinal);

    /// <summary>The run of <paramref name="chapter"/> (a file name in <c>notebooks/</c>): the runner's exit code, its output and the report's path.</summary>
    public static Task<(int Code, string Log, string Report)> QuickAsync(string chapter) =>
        s_runs.GetOrAdd(chapter, c => new Lazy<Task<(int, string, string)>>(() => RunAsync(c))).Value;

    private static async Task<(int, string, string)> RunAsync(string chapter)
    {
        var root = Site.SiteFixture.RepositoryRoot;
        var output = Path.Combine(root, "artifacts", "test-executed");
        var report = Path.Combine(output, Path.ChangeExtension(chapter, ".report.json"));
        var (code, log) = await ChildProcess.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", Path.Combine(root, "notebooks", chapter), "-p", "quick=true", "--timeout", "900",
                "--output", output, "--report", report],
            Timeout.InfiniteTimeSpan, workingDirectory: root);
        return (code, log, report);
    }
}
