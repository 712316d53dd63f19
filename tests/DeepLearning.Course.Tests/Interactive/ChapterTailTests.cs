using System.Text.Json;
using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests.Interactive;

/// <summary>Every chapter states its results one way: one <c>ChapterResults</c> table and one check.</summary>
public class ChapterTailTests
{
    public static TheoryData<string> Chapters()
    {
        var root = DatasetPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void A_chapter_ends_with_one_results_table_and_one_check_and_records_nothing_else(string path)
    {
        // Given the chapter's cells
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cells = document.RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => (Kind: c.GetProperty("cell_type").GetString(), Starter: IsExerciseStarter(c), Source: c.GetProperty("source") is { ValueKind: JsonValueKind.Array } lines
                ? string.Concat(lines.EnumerateArray().Select(l => l.GetString())) : c.GetProperty("source").GetString() ?? ""))
            .ToList();
        var code = cells.Where(c => c.Kind == "code").Select(c => c.Source).ToList();
        var name = Path.GetFileName(path);
        // Then metrics are recorded only through the results table, which is built once and checked once
        Assert.DoesNotContain(code, c => c.Contains("Metrics.Record(", StringComparison.Ordinal));
        Assert.Single(code, c => c.Contains("new ChapterResults(quick)", StringComparison.Ordinal));
        Assert.Single(code, c => c.Contains("results.Check()", StringComparison.Ordinal));
        // ... the check comes after the table, in the Results section, and no cell after the table throws by hand
        var table = code.FindIndex(c => c.Contains("new ChapterResults(quick)", StringComparison.Ordinal));
        var check = code.FindIndex(c => c.Contains("results.Check()", StringComparison.Ordinal));
        Assert.True(check > table, $"{name}: results.Check() must follow the table");
        // (an exercise's starter cell throws NotImplementedException until the learner fills it in; its check never throws)
        var codeCells = cells.Where(c => c.Kind == "code").ToList();
        Assert.DoesNotContain(codeCells.Skip(table), c => !c.Starter && c.Source.Contains("throw new", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.Kind == "markdown" && c.Source.Contains("## Results", StringComparison.Ordinal));
        // ... and nothing points at a folder a learner's clone does not have
        Assert.DoesNotContain(cells, c => c.Source.Contains("shared/", StringComparison.Ordinal));
    }

    /// <summary>An exercise's starter cell: metadata <c>"dlcourse": {"exercise": "01.1"}</c>.</summary>
    private static bool IsExerciseStarter(JsonElement cell) =>
        cell.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("dlcourse", out var course) && course.ValueKind == JsonValueKind.Object
        && course.TryGetProperty("exercise", out _);
}
