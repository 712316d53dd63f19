using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;
using NotebookEngine.Documents;

namespace NotebookRunner.Run;

/// <summary>One exercise's verdict as the report lists it: solved, or "not yet" with what is still wrong.</summary>
/// <param name="Id">The exercise's id, <c>chapter.number</c>, e.g. <c>01.2</c>.</param>
/// <param name="Title">What the exercise asks.</param>
/// <param name="Solved">True when its check passed.</param>
/// <param name="Message">What the check confirmed, or what is wrong.</param>
public sealed record ExerciseRecord(string Id, string Title, bool Solved, string Message)
{
    public JsonObject ToJson() => new() { ["id"] = Id, ["title"] = Title, ["solved"] = Solved, ["message"] = Message };

    public static ExerciseRecord? FromJson(JsonNode? record) =>
        record?["id"] is JsonValue id && id.TryGetValue(out string? key) && !string.IsNullOrWhiteSpace(key)
        && record["solved"] is JsonValue solved && solved.TryGetValue(out bool isSolved)
            ? new ExerciseRecord(key, Text(record["title"]), isSolved, Text(record["message"]))
            : null;

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
}

/// <summary>
/// Reads the exercise verdicts a notebook showed (<c>Exercise.Check</c> in the library) out of its outputs: every
/// output with MIME type <see cref="MetricsFormat.ExerciseMimeType"/>, payload
/// <c>{"id":"01.1","title":…,"solved":…,"message":…}</c>, scanned like the metrics (<see cref="OutputRecords"/>).
/// A later verdict of the same id wins (a check run again); records without an id or a boolean <c>solved</c> are
/// skipped. Verdicts are listed in the order their exercises first appear.
/// </summary>
public static class ExercisesReader
{
    /// <summary>The exercise verdicts in <paramref name="notebook"/>'s outputs.</summary>
    public static List<ExerciseRecord> Read(NotebookDocument notebook) =>
        OutputRecords.LatestByKey(OutputRecords.Read(notebook, MetricsFormat.ExerciseMimeType).Select(ExerciseRecord.FromJson).OfType<ExerciseRecord>(), v => v.Id);
}
