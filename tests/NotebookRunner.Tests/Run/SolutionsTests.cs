using System.Text.Json.Nodes;
using NotebookEngine.Documents;
using NotebookRunner.Run;

namespace NotebookRunner.Tests.Run;

/// <summary>
/// <c>run --solutions DIR</c> before anything runs: each exercise starter cell gets the solution of the same id, in
/// memory only; a solutions notebook that does not match the chapter's exercises stops that notebook, naming the id.
/// </summary>
public sealed class SolutionsTests : IDisposable
{
    public static readonly string ExerciseFixtures = Path.Combine(Path.GetDirectoryName(RunnerFixture.FixtureFolder)!, "exercises");

    public static string Chapter => Path.Combine(ExerciseFixtures, "notebooks", "99-exercises.ipynb");

    public static string SolutionsFolder => Path.Combine(ExerciseFixtures, "solutions");

    private readonly string _work = Directory.CreateTempSubdirectory("solutions-tests").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>A copy of the fixture's solutions folder, its notebook edited by <paramref name="edit"/>.</summary>
    private string EditedSolutions(Action<NotebookDocument> edit)
    {
        var folder = Path.Combine(_work, "solutions");
        Directory.CreateDirectory(folder);
        var doc = NotebookFile.Load(Path.Combine(SolutionsFolder, "99-exercises.ipynb"));
        edit(doc);
        NotebookFile.SaveAtomically(doc, Path.Combine(folder, "99-exercises.ipynb"));
        return folder;
    }

    private static NotebookCell Starter(NotebookDocument doc, string id) => doc.Cells.Single(c => Solutions.ExerciseId(c) == id);

    [Fact]
    public void Every_starter_gets_the_solution_of_its_id_and_the_source_file_is_not_modified()
    {
        // Given the fixture chapter with two starters that throw NotImplementedException
        var before = RunnerFixture.Hash(Chapter);
        var doc = NotebookFile.Load(Chapter);
        var cells = doc.Cells.Count;

        // When its solutions are applied
        var error = Solutions.Apply(doc, Chapter, SolutionsFolder);

        // Then each starter holds its solution, everything else is as it was, and the file on disk is untouched
        Assert.Null(error);
        Assert.Equal("int Answer1() => 42;", Starter(doc, "99.1").Source);
        Assert.Equal("int Answer2() => 7;", Starter(doc, "99.2").Source);
        Assert.Equal(cells, doc.Cells.Count);
        Assert.Equal("Check(\"99.1\", Answer1, 42);", doc.Cells[Array.IndexOf([.. doc.Cells], Starter(doc, "99.1")) + 1].Source);
        Assert.Equal(before, RunnerFixture.Hash(Chapter));
    }

    [Fact]
    public void An_exercise_without_a_solution_is_named_with_the_notebook_and_nothing_is_planned_to_run()
    {
        // Given solutions that lack exercise 99.2
        var folder = EditedSolutions(d => d.Cells.Remove(Starter(d, "99.2")));

        // When the run is planned
        var plan = RunCommand.Plan(RunCommand.Discover([Chapter]), Path.Combine(_work, "out"), folder);

        // Then the notebook is not run, and the error names the id, the notebook and the solutions file
        var entry = Assert.Single(plan);
        Assert.Null(entry.Document);
        Assert.StartsWith("SolutionsError:", entry.Error);
        Assert.Contains("exercise 99.2", entry.Error);
        Assert.Contains("99-exercises.ipynb", entry.Error);
        Assert.Contains(folder, entry.Error);
    }

    [Fact]
    public void A_solution_without_an_exercise_is_named_with_the_notebook()
    {
        // Given solutions with an extra exercise 99.3
        var folder = EditedSolutions(d => d.Cells.Add(new NotebookCell
        {
            Source = "int Answer3() => 3;",
            Metadata = new JsonObject { ["dlcourse"] = new JsonObject { ["exercise"] = "99.3" } },
        }));

        // When the run is planned
        var plan = RunCommand.Plan(RunCommand.Discover([Chapter]), Path.Combine(_work, "out"), folder);

        // Then
        var error = Assert.Single(plan).Error;
        Assert.Equal($"SolutionsError: {Path.Combine(folder, "99-exercises.ipynb")} has a solution for exercise 99.3, which {Chapter} does not have", error);
    }

    [Fact]
    public void An_id_given_twice_and_a_missing_solutions_notebook_are_errors_too()
    {
        // Given solutions with 99.1 twice, and a folder with no solutions notebook at all
        var twice = EditedSolutions(d => d.Cells.Add(new NotebookCell { Source = "int Answer1() => 42;", Metadata = Starter(d, "99.1").Metadata.DeepClone().AsObject() }));
        var empty = Directory.CreateDirectory(Path.Combine(_work, "empty")).FullName;

        // When
        var duplicate = Solutions.Apply(NotebookFile.Load(Chapter), Chapter, twice);
        var missing = Solutions.Apply(NotebookFile.Load(Chapter), Chapter, empty);

        // Then
        Assert.Contains("2 cells for exercise 99.1", duplicate);
        Assert.Contains("has 2 exercise(s) (99.1, 99.2) but there is no", missing);
    }

    [Fact]
    public void A_notebook_without_exercises_runs_unchanged_without_a_solutions_notebook()
    {
        // Given a notebook with no starter cells and no solutions for it
        var doc = NotebookFile.Load(Path.Combine(RunnerFixture.FixtureFolder, "outputs.ipynb"));
        var sources = doc.Cells.Select(c => c.Source).ToList();

        // When
        var error = Solutions.Apply(doc, "outputs.ipynb", SolutionsFolder);

        // Then
        Assert.Null(error);
        Assert.Equal(sources, doc.Cells.Select(c => c.Source));
    }

    [Fact]
    public void A_solutions_run_writes_its_executed_copy_beside_the_starter_runs_copy()
    {
        // Given one chapter, planned with and without solutions into the same folder
        var output = Path.Combine(_work, "out");
        var notebooks = RunCommand.Discover([Chapter]);

        // When
        var starters = RunCommand.Plan(notebooks, output).Single();
        var solved = RunCommand.Plan(notebooks, output, SolutionsFolder).Single();

        // Then the two copies have different names
        Assert.Equal(Path.Combine(output, "99-exercises.ipynb"), starters.Executed);
        Assert.Equal(Path.Combine(output, "99-exercises.solved.ipynb"), solved.Executed);
        Assert.Equal("int Answer1() => 42;", Starter(solved.Document!, "99.1").Source);
    }

    [Fact]
    public void The_option_parses()
    {
        Assert.Equal("solutions/", RunOptions.Parse(["notebooks", "--solutions", "solutions/"])!.Solutions);
        Assert.Null(RunOptions.Parse(["notebooks"])!.Solutions);
    }
}
