using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotebookKernel.Tests;
using Xunit.Abstractions;

namespace NotebookRunner.Tests.RealKernel;

/// <summary>
/// Every chapter in <c>notebooks/</c> runs unchanged in Microsoft's .NET Interactive (the
/// <c>dotnet-interactive</c> global tool's Jupyter kernel, version <see cref="DotNetInteractive.Version"/>),
/// driven by nbclient with quick mode injected after the <c>parameters</c> cell as papermill does
/// (<see cref="DotNetInteractive"/>: <c>tests/realkernel/run_notebook.py</c>), and learns the same numbers as the course's runner.
/// </summary>
public class RealKernelChapterTests(ITestOutputHelper output)
{
    /// <summary>
    /// Learned metrics must agree within <c>Tolerance × max(1, |value|)</c>: relative for values above 1,
    /// absolute below (metrics named <c>*_seconds</c> are wall times, recorded by both but not compared).
    /// Both hosts run the same libtorch with the same seeds and thread count; measured, every metric was
    /// bit-identical except two that measure float64 rounding themselves (chapter 01's
    /// <c>gd_vs_closed_form_rel_diff</c> 2.8e-7 and <c>nn_vs_closed_form_rel_diff</c> 8.2e-13, which moved by 4e-17).
    /// </summary>
    public const double Tolerance = 1e-9;

    private static string RepoRoot => Site.SiteFixture.RepositoryRoot;

    private static string NotebooksFolder => Path.Combine(RepoRoot, "notebooks");

    // The same discovery as the course runner's chapter test: every notebook in notebooks/, chapters added later included.
    [Theory]
    [MemberData(nameof(Chapters.ChapterTests.Chapters), MemberType = typeof(Chapters.ChapterTests))]
    public async Task Chapter_runs_unchanged_in_dotnet_interactive_and_learns_what_the_course_runner_learns(string chapter)
    {
        // Given Microsoft's .NET Interactive kernel, the library built in Release, and the chapter's source
        var tool = DotNetInteractive.Require();
        var library = Path.Combine(RepoRoot, "src", "DeepLearning.Course", "bin", "Release", "net8.0", "DeepLearning.Course.dll");
        Assert.True(File.Exists(library), $"{library} is missing: run the tests with `dotnet test -c Release`.");
        var folder = Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts", "test-realkernel")).FullName;
        var name = Path.GetFileNameWithoutExtension(chapter);
        var source = Path.Combine(NotebooksFolder, chapter);
        var before = File.ReadAllText(source);

        // When the real kernel runs it in quick mode, and the course's runner runs it with the same parameters (the chapter test's run)
        var realReport = Path.Combine(folder, name + ".dotnet-interactive.json");
        File.Delete(realReport);
        var clock = Stopwatch.StartNew();
        var (realCode, realLog) = await Task.Run(() => DotNetInteractive.Execute(tool, source, Path.Combine(folder, name + ".dotnet-interactive.ipynb"),
            realReport, 900, Timeout.InfiniteTimeSpan, "quick=true"));
        var realSeconds = clock.Elapsed.TotalSeconds;
        var (courseCode, courseLog, courseReport) = await Chapters.ChapterRun.QuickAsync(chapter);   // the chapter test's run, shared

        // Then the chapter passed in .NET Interactive, every cell's error (if any) in the message
        Assert.True(File.Exists(realReport), $"{chapter}: the driver wrote no report (exit {realCode}):\n{realLog}");
        var real = JsonNode.Parse(File.ReadAllText(realReport))!;
        output.WriteLine($"{chapter}: .NET Interactive {real["status"]} in {real["seconds"]} s (process {realSeconds:F1} s); course runner exit {courseCode}");
        Assert.True(realCode == 0 && real["status"]!.GetValue<string>() == "passed",
            $"{chapter} failed in .NET Interactive {DotNetInteractive.Version}: {real["status"]} at code cell {real["failedCell"]}:\n{real["error"]}\n{realLog}");
        // and wrote no compiler warnings to stderr (nullable annotations outside a nullable context, CS8632)
        var warnings = real["stderr"]!.AsArray().Select(s => $"cell {s!["cell"]}: {s["text"]}").Where(s => s.Contains("warning CS8632", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, $"{chapter}: compiler warnings in .NET Interactive:\n{string.Join("\n", warnings)}");
        // and its live displays updated the output they published (the saved notebook keeps the last frame)
        var updates = real["displayUpdates"]!;
        Assert.True(updates["unmatched"]!.GetValue<int>() == 0,
            $"{chapter}: {updates["unmatched"]} of {updates["updated"]} display updates named a display id that was never published");
        // and it learned the numbers the course's runner learned
        var course = JsonNode.Parse(File.ReadAllText(courseReport))!["notebooks"]!.AsArray().Single()!;
        Assert.True(courseCode == 0 && course["status"]!.GetValue<string>() == "passed", $"{chapter} failed in the course runner: {course["error"]}\n{courseLog}");
        var expected = Metrics(course["metrics"]!);
        var actual = Metrics(real["metrics"]!);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        // (wall times such as chapter_seconds or gpt_train_seconds measure the host, not what was learned: present in both, not compared)
        var differing = expected.Where(m => !m.Key.EndsWith("_seconds", StringComparison.Ordinal) && !Close(m.Value, actual[m.Key]))
            .Select(m => $"{m.Key}: course {m.Value.ToString("R", CultureInfo.InvariantCulture)}, .NET Interactive {actual[m.Key].ToString("R", CultureInfo.InvariantCulture)}").ToList();
        Assert.True(differing.Count == 0, $"{chapter}: metrics differ by more than {Tolerance} x max(1, |value|):\n{string.Join("\n", differing)}");
        // and the source notebook was not touched
        Assert.Equal(before, File.ReadAllText(source));
    }

    private static Dictionary<string, double> Metrics(JsonNode metrics) =>
        metrics.AsObject().ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());

    private static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected));
}
