using System.Text.Json.Nodes;

namespace NotebookRunner.Tests.Chapters;

/// <summary>
/// The other side of every chapter's checked exercises (<see cref="ChapterTests"/> runs them untouched): run with the
/// solutions in <c>solutions/</c> filled in, every check passes and the chapter still passes; and, without running
/// anything, each chapter's exercise cells and its solutions notebook have the shape the runner and the learner rely on.
/// </summary>
public class ChapterExercisesTests
{
    private static string SolutionsFolder => Path.Combine(ChapterTests.RepoRoot, "solutions");

    public static TheoryData<string> Chapters() => ChapterTests.Chapters();

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task Chapter_with_its_solutions_solves_every_exercise_in_quick_mode(string chapter)
    {
        // Given the chapter and its solutions notebook
        // When the runner executes the chapter in quick mode with every starter replaced by its solution
        var (code, log, entry) = await ChapterTests.RunQuickAsync(chapter, SolutionsFolder);

        // Then the chapter passed and every exercise is solved
        Assert.True(code == 0 && entry["status"]!.GetValue<string>() == "passed",
            $"{chapter} with solutions: {entry["status"]} at cell {entry["failedCell"]}: {entry["error"]}\n{log}");
        var exercises = ChapterTests.Exercises(entry);
        Assert.True(exercises.Count >= ChapterTests.MinimumExercises, $"{chapter} with solutions: {exercises.Count} checked exercises reported, expected at least {ChapterTests.MinimumExercises}");
        foreach (var (id, solved, message) in exercises)
            Assert.True(solved, $"{chapter} with solutions: exercise {id} is not yet solved: {message}");
        Assert.NotEmpty(entry["metrics"]!.AsObject());
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_ends_with_numbered_exercises_each_checked_by_the_library_and_solved_in_solutions(string chapter)
    {
        // Given the chapter's cells and its solutions notebook
        var number = chapter[..2];
        var cells = Cells(Path.Combine(ChapterTests.NotebooksFolder, chapter));
        var solutionsPath = Path.Combine(SolutionsFolder, chapter);

        // When its starter cells are listed
        var starters = cells.Select((c, i) => (Cell: c, Index: i, Id: ExerciseId(c))).Where(s => s.Id is not null).ToList();

        // Then there are at least four, numbered NN.1, NN.2, ... in order, each a code cell followed by the check cell that calls the library
        Assert.True(starters.Count >= ChapterTests.MinimumExercises, $"{chapter}: {starters.Count} exercise starter cells (metadata dlcourse.exercise), expected at least {ChapterTests.MinimumExercises}");
        for (var k = 0; k < starters.Count; k++)
        {
            var (cell, index, id) = starters[k];
            Assert.True(id == $"{number}.{k + 1}", $"{chapter}: exercise starter {k + 1} has id {id}, expected {number}.{k + 1}");
            Assert.True(Kind(cell) == "code", $"{chapter}: the starter of exercise {id} is a {Kind(cell)} cell, expected code");
            var check = index + 1 < cells.Count ? cells[index + 1] : null;
            Assert.True(check is not null && Kind(check) == "code" && ExerciseId(check) is null && ChapterTests.Source(check).Contains($"Chapter{number}Exercises.", StringComparison.Ordinal),
                $"{chapter}: the cell after the starter of exercise {id} must be its check, a code cell calling Chapter{number}Exercises.…");
        }
        // ... and solutions/<same name> solves exactly those exercises, committed without outputs
        Assert.True(File.Exists(solutionsPath), $"{chapter}: {solutionsPath} is missing");
        var solutions = Cells(solutionsPath);
        var solved = solutions.Where(c => Kind(c) == "code").Select(ExerciseId).OfType<string>().ToList();
        Assert.Equal(starters.Select(s => s.Id), solved);
        var withOutputs = solutions.Count(c => c["outputs"] is JsonArray { Count: > 0 } || c["execution_count"] is JsonValue);
        Assert.True(withOutputs == 0, $"solutions/{chapter} has {withOutputs} cells with stored outputs or execution counts; clear them.");
    }

    private static List<JsonNode> Cells(string path) => [.. JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => c!)];

    private static string Kind(JsonNode cell) => cell["cell_type"]!.GetValue<string>();

    private static string? ExerciseId(JsonNode cell) => cell["metadata"]?["dlcourse"]?["exercise"]?.GetValue<string>();
}
