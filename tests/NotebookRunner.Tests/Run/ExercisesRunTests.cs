using System.Text.Json.Nodes;

namespace NotebookRunner.Tests.Run;

/// <summary>
/// The fixture chapter with two checked exercises, run by the real runner twice into one folder: as committed (every
/// exercise "not yet", the notebook still passes) and with <c>--solutions</c> (every exercise solved).
/// </summary>
public sealed class ExercisesRunFixture : IAsyncLifetime
{
    public string Work { get; } = Directory.CreateTempSubdirectory("exercises-run").FullName;

    public (int Code, string Log, JsonObject Entry) Starters { get; private set; }

    public (int Code, string Log, JsonObject Entry) Solved { get; private set; }

    public string SourceHash { get; } = RunnerFixture.Hash(SolutionsTests.Chapter);

    public async Task InitializeAsync()
    {
        Starters = await RunAsync("starters.json");
        Solved = await RunAsync("solved.json", "--solutions", SolutionsTests.SolutionsFolder);
    }

    private async Task<(int, string, JsonObject)> RunAsync(string report, params string[] more)
    {
        var path = Path.Combine(Work, report);
        var (code, log) = await RunnerFixture.RunAsync([SolutionsTests.Chapter, "-o", Path.Combine(Work, "executed"), "--report", path, .. more]);
        var entry = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path))!["notebooks"]!.AsArray().Single()!.AsObject() : [];
        return (code, log, entry);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }
}

public class ExercisesRunTests(ExercisesRunFixture run) : IClassFixture<ExercisesRunFixture>
{
    private static List<(string Id, bool Solved, string Message)> Verdicts(JsonObject entry) =>
        [.. entry["exercises"]!.AsArray().Select(e => (e!["id"]!.GetValue<string>(), e["solved"]!.GetValue<bool>(), e["message"]!.GetValue<string>()))];

    [Fact]
    public void With_the_starters_every_exercise_is_not_yet_with_its_message_and_the_notebook_passes()
    {
        Assert.True(run.Starters.Code == 0 && run.Starters.Entry["status"]?.GetValue<string>() == "passed", run.Starters.Log);
        Assert.Equal(
            [("99.1", false, "the starter still throws NotImplementedException"), ("99.2", false, "the starter still throws NotImplementedException")],
            Verdicts(run.Starters.Entry));
    }

    [Fact]
    public void With_the_solutions_every_exercise_is_solved()
    {
        Assert.True(run.Solved.Code == 0 && run.Solved.Entry["status"]?.GetValue<string>() == "passed", run.Solved.Log);
        Assert.Equal([("99.1", true, "42 is right"), ("99.2", true, "7 is right")], Verdicts(run.Solved.Entry));
        Assert.Contains("exercises 2/2 solved", run.Solved.Log);
    }

    [Fact]
    public void The_solved_copy_is_written_beside_the_starter_copy_and_the_source_is_untouched()
    {
        var executed = Path.Combine(run.Work, "executed");
        Assert.Equal(Path.Combine(executed, "99-exercises.ipynb"), run.Starters.Entry["output"]!.GetValue<string>());
        Assert.Equal(Path.Combine(executed, "99-exercises.solved.ipynb"), run.Solved.Entry["output"]!.GetValue<string>());
        Assert.Contains("NotImplementedException", File.ReadAllText(Path.Combine(executed, "99-exercises.ipynb")));
        Assert.Contains("int Answer1() => 42;", File.ReadAllText(Path.Combine(executed, "99-exercises.solved.ipynb")));
        Assert.Equal(run.SourceHash, RunnerFixture.Hash(SolutionsTests.Chapter));
    }

    [Fact]
    public async Task A_mismatched_solutions_folder_fails_the_notebook_before_anything_runs()
    {
        // Given solutions that lack exercise 99.2
        var folder = Directory.CreateDirectory(Path.Combine(run.Work, "partial")).FullName;
        var solutions = NotebookEngine.Documents.NotebookFile.Load(Path.Combine(SolutionsTests.SolutionsFolder, "99-exercises.ipynb"));
        solutions.Cells.RemoveAll(c => NotebookRunner.Run.Solutions.ExerciseId(c) == "99.2");
        NotebookEngine.Documents.NotebookFile.SaveAtomically(solutions, Path.Combine(folder, "99-exercises.ipynb"));
        var output = Path.Combine(run.Work, "partial-out");

        // When
        var (code, log) = await RunnerFixture.RunAsync([SolutionsTests.Chapter, "-o", output, "--report", Path.Combine(folder, "r.json"), "--solutions", folder]);

        // Then it failed, naming the id, no cell ran, and no executed copy was written
        var entry = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "r.json")))!["notebooks"]![0]!;
        Assert.Equal(1, code);
        Assert.Equal(("failed", 0), (entry["status"]!.GetValue<string>(), entry["cells"]!.GetValue<int>()));
        Assert.Contains("has no solution for exercise 99.2 of", entry["error"]!.GetValue<string>());
        Assert.Contains("exercise 99.2", log);
        Assert.False(File.Exists(Path.Combine(output, "99-exercises.solved.ipynb")));
    }
}
