using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary>
/// <c>run --solutions DIR</c>: runs a chapter with its exercises solved. A chapter's exercise starter cells carry
/// <c>"metadata": {"dlcourse": {"exercise": "NN.k"}}</c>; <c>DIR/&lt;the chapter's file name&gt;</c> holds, for each
/// of them, a code cell with the same metadata and the solved code. <see cref="Apply"/> puts each solution's source
/// into the starter cell of the same id, in the in-memory notebook only (the source file is never modified), before
/// anything runs. Executed copies of such a run are named <c>NN-x.solved.ipynb</c> (<see cref="ExecutedName"/>), so
/// they never replace the executed copy of a run with the starters.
/// </summary>
internal static class Solutions
{
    /// <summary>The marker in an executed copy's name: <c>01-ml-basics.solved.ipynb</c>.</summary>
    public const string Suffix = ".solved";

    /// <summary>The relative name of an executed copy in a solutions run: <c>NN-x.ipynb</c> → <c>NN-x.solved.ipynb</c>.</summary>
    public static string ExecutedName(string relative) => Path.ChangeExtension(relative, null) + Suffix + ".ipynb";

    /// <summary>The exercise id a cell's metadata declares (<c>dlcourse.exercise</c>), or null.</summary>
    public static string? ExerciseId(NotebookCell cell) =>
        cell.Metadata["dlcourse"] is JsonObject course && course["exercise"] is JsonValue id && id.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : null;

    /// <summary>
    /// Replaces the source of every exercise starter cell of <paramref name="notebook"/> (read from
    /// <paramref name="source"/>) with the solution of the same id from <paramref name="folder"/>. Returns null when
    /// done, else why it could not be (a missing solutions notebook, an exercise without a solution, a solution
    /// without an exercise, an id given twice), naming the notebook, the solutions file and the id; the notebook is
    /// then left unchanged and must not run. A notebook without exercises needs no solutions file.
    /// </summary>
    public static string? Apply(NotebookDocument notebook, string source, string folder)
    {
        var starters = notebook.Cells.Where(c => c.IsCode && ExerciseId(c) is not null).ToList();
        var path = Path.Combine(folder, Path.ChangeExtension(Path.GetFileName(source), ".ipynb"));
        if (!File.Exists(path))
        {
            return starters.Count == 0
                ? null
                : $"SolutionsError: {source} has {starters.Count} exercise(s) ({string.Join(", ", starters.Select(c => ExerciseId(c)))}) but there is no {path}";
        }
        NotebookDocument solved;
        try
        {
            solved = NotebookFile.Load(path);
        }
        catch (NotebookFileException e)
        {
            return $"SolutionsError: {source}: its solutions notebook cannot be read: {e.Message}";
        }
        var solutions = solved.Cells.Where(c => c.IsCode && ExerciseId(c) is not null).ToList();
        foreach (var (cells, where) in new[] { (starters, source), (solutions, path) })
        {
            if (cells.GroupBy(c => ExerciseId(c)!).FirstOrDefault(g => g.Count() > 1) is { } twice)
                return $"SolutionsError: {where} has {twice.Count()} cells for exercise {twice.Key}; each exercise id must appear once";
        }
        var byId = solutions.ToDictionary(c => ExerciseId(c)!, StringComparer.Ordinal);
        if (starters.Select(c => ExerciseId(c)!).FirstOrDefault(id => !byId.ContainsKey(id)) is { } missing)
            return $"SolutionsError: {path} has no solution for exercise {missing} of {source}";
        var ids = starters.Select(c => ExerciseId(c)!).ToHashSet(StringComparer.Ordinal);
        if (solutions.Select(c => ExerciseId(c)!).FirstOrDefault(id => !ids.Contains(id)) is { } extra)
            return $"SolutionsError: {path} has a solution for exercise {extra}, which {source} does not have";
        foreach (var starter in starters)
        {
            starter.Source = byId[ExerciseId(starter)!].Source;
            // The executed copy says where the cell's code came from.
            ((JsonObject)starter.Metadata["dlcourse"]!)["solution"] = path;
        }
        return null;
    }
}
