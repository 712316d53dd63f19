using System.Text.Json.Nodes;

namespace NotebookRunner.Tests.Chapters;

/// <summary>
/// Every chapter in <c>notebooks/</c> runs through the real runner in quick mode, as CI's chapter check:
/// the chapter's own Results cell asserts its thresholds, so a chapter that misses them fails here.
/// </summary>
public class ChapterTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static string NotebooksFolder => Path.Combine(RepoRoot, "notebooks");

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
        var library = Path.Combine(RepoRoot, "src", "DeepLearning.Course", "bin", "Release", "net8.0", "DeepLearning.Course.dll");
        Assert.True(File.Exists(library), $"{library} is missing: the chapters load the Release build of the library; run the tests with `dotnet test -c Release`.");

        // When the runner executes the chapter in quick mode (once per test process: the exported app's test compares with this run)
        var (code, log, report) = await ChapterRun.QuickAsync(chapter);

        // Then it passed, and its Results section recorded headline numbers for the report
        var entry = JsonNode.Parse(await File.ReadAllTextAsync(report))!["notebooks"]!.AsArray().Single()!;
        Assert.True(code == 0 && entry["status"]!.GetValue<string>() == "passed",
            $"{chapter}: {entry["status"]} at cell {entry["failedCell"]}: {entry["error"]}\n{log}");
        Assert.NotEmpty(entry["metrics"]!.AsObject());
    }

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

    private static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        var s => s!.GetValue<string>(),
    };

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx"))) return dir.FullName;
        throw new InvalidOperationException("DeepLearningCourse.slnx not found above " + AppContext.BaseDirectory);
    }
}
