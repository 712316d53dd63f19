using System.Collections.Concurrent;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Chapters;

/// <summary>
/// The course runner's quick-mode run of one chapter (<c>run CHAPTER -p quick=true</c>, with <c>--solutions DIR</c> when
/// given; its executed copy under <c>artifacts/test-executed</c> and its report beside it), once per test process: the
/// chapter tests and the tests that compare another host's metrics with the runner's (Microsoft's kernel, the exported
/// file-based app) share it instead of running it again.
/// </summary>
internal static class ChapterRun
{
    private static readonly ConcurrentDictionary<(string Chapter, string? Solutions), Lazy<Task<(int Code, string Log, string Report)>>> s_runs = new();

    /// <summary>
    /// The run of <paramref name="chapter"/> (a file name in <c>notebooks/</c>), with <paramref name="solutions"/> filled in
    /// when given: the runner's exit code, its output and the report's path.
    /// </summary>
    public static Task<(int Code, string Log, string Report)> QuickAsync(string chapter, string? solutions = null) =>
        s_runs.GetOrAdd((chapter, solutions), key => new Lazy<Task<(int, string, string)>>(() => RunAsync(key.Chapter, key.Solutions))).Value;

    private static async Task<(int, string, string)> RunAsync(string chapter, string? solutions)
    {
        var root = Site.SiteFixture.RepositoryRoot;
        var output = Path.Combine(root, "artifacts", "test-executed");
        var report = Path.Combine(output, Path.ChangeExtension(chapter, solutions is null ? ".report.json" : ".solved.report.json"));
        var (code, log) = await ChildProcess.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", Path.Combine(root, "notebooks", chapter), "-p", "quick=true", "--timeout", "900",
                "--output", output, "--report", report, .. solutions is null ? Array.Empty<string>() : ["--solutions", solutions]],
            Timeout.InfiniteTimeSpan, workingDirectory: root);
        return (code, log, report);
    }
}
