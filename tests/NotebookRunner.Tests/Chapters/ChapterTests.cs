using System.Text.Json.Nodes;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Chapters;

/// <summary>
/// Every chapter in <c>notebooks/</c> runs through the real runner in quick mode, as CI's chapter check:
/// the chapter's own Results cell asserts its thresholds, so a chapter that misses them fails here. Its exercises are
/// left as committed: each check says "not yet" and the chapter still passes (<see cref="ChapterExercisesTests"/> runs
/// them solved).
/// </summary>
public class ChapterTests
{
    internal static readonly string RepoRoot = FindRepoRoot();

    internal static string NotebooksFolder => Path.Combine(RepoRoot, "notebooks");

    /// <summary>The fewest checked exercises a chapter ends with.</summary>
    internal const int MinimumExercises = 4;

    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task Chapter_passes_in_quick_mode_and_records_its_results(string chapter)
    {
        // Given the library built in Release, which kernels/setup.dib loads
        // When the runner executes the chapter in quick mode
        var (code, log, entry) = await RunQuickAsync(chapter);

        // Then it passed, and its Results section recorded headline numbers for the report
        Assert.True(code == 0 && entry["status"]!.GetValue<string>() == "passed",
            $"{chapter}: {entry["status"]} at cell {entry["failedCell"]}: {entry["error"]}\n{log}");
        Assert.NotEmpty(entry["metrics"]!.AsObject());
        // ... and every exercise, untouched, says "not yet" and what to do
        var exercises = Exercises(entry);
        Assert.True(exercises.Count >= MinimumExercises, $"{chapter}: {exercises.Count} checked exercises reported, expected at least {MinimumExercises}");
        foreach (var (id, solved, message) in exercises)
            Assert.True(!solved && message.Trim().Length > 0, $"{chapter}: exercise {id} with its starter is {(solved ? "solved" : "not yet")} with message \"{message}\"; expected \"not yet\" with a message");
    }

    /// <summary>
    /// Runs one chapter in quick mode through the real runner (with <c>--solutions</c> when
    /// <paramref name="solutions"/> is given), its executed copy and report under artifacts/test-executed; returns the
    /// exit code, the log and its report entry.
    /// </summary>
    internal static async Task<(int Code, string Log, JsonNode Entry)> RunQuickAsync(string chapter, string? solutions = null)
    {
        var library = Path.Combine(RepoRoot, "src", "DeepLearning.Course", "bin", "Release", "net8.0", "DeepLearning.Course.dll");
        Assert.True(File.Exists(library), $"{library} is missing: the chapters load the Release build of the library; run the tests with `dotnet test -c Release`.");
        var output = Path.Combine(RepoRoot, "artifacts", "test-executed");
        var report = Path.Combine(output, Path.ChangeExtension(chapter, solutions is null ? ".report.json" : ".solved.report.json"));
        var (code, log) = await RunRunnerAsync(
            ["run", Path.Combine(NotebooksFolder, chapter), "-p", "quick=true", "--timeout", "900", "--output", output, "--report", report,
                .. solutions is null ? Array.Empty<string>() : ["--solutions", solutions]]);
        var entry = JsonNode.Parse(await File.ReadAllTextAsync(report))!["notebooks"]!.AsArray().Single()!;
        return (code, log, entry);
    }

    /// <summary>The exercise verdicts of a report entry: id, solved, message.</summary>
    internal static List<(string Id, bool Solved, string Message)> Exercises(JsonNode entry) =>
        [.. (entry["exercises"] as JsonArray ?? []).Select(e => (e!["id"]!.GetValue<string>(), e["solved"]!.GetValue<bool>(), e["message"]!.GetValue<string>()))];

    [Fact]
    public void Source_notebooks_are_committed_without_outputs()
    {
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            var withOutputs = cells.Count(c => c!["outputs"] is JsonArray { Count: > 0 });
            Assert.True(withOutputs == 0, $"{Path.GetFileName(path)} has {withOutputs} cells with stored outputs; clear them (executed copies go to artifacts/).");
        }
    }

    [Fact]
    public void Every_chapter_starts_with_the_shared_setup_and_a_parameters_cell()
    {
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            var code = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
                .Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
            var name = Path.GetFileName(path);
            Assert.True(Source(code[0]!).Trim() == "#!import ../kernels/setup.dib", $"{name}: the first code cell must be `#!import ../kernels/setup.dib`.");
            var tags = code[1]!["metadata"]?["tags"] as JsonArray;
            Assert.True(tags?.Any(t => t!.GetValue<string>() == "parameters") == true, $"{name}: the second code cell must be tagged `parameters`.");
            Assert.Contains("var quick = false;", Source(code[1]!));
        }
    }

    [Fact]
    public void Every_chapter_is_listed_in_the_README()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
            Assert.Contains($"notebooks/{Path.GetFileName(path)}", readme);
    }

    internal static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        var s => s!.GetValue<string>(),
    };

    internal static Task<(int Code, string Output)> RunRunnerAsync(params string[] args) =>
        ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), .. args], Timeout.InfiniteTimeSpan, workingDirectory: RepoRoot);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx"))) return dir.FullName;
        throw new InvalidOperationException("DeepLearningCourse.slnx not found above " + AppContext.BaseDirectory);
    }
}
