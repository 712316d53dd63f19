namespace DeepLearning.Course.Platform;

/// <summary>
/// How a chapter's headline numbers travel from a notebook to the course's report: a display output of
/// <see cref="MimeType"/> whose payload is <c>{"name":"test_accuracy","value":0.91}</c>; a row of a chapter's results
/// table adds <c>"label"</c> (what the number is), <c>"text"</c> (the value as the table shows it) and
/// <c>"published":[{"id","value","what","source"}…]</c> (the anchors of <c>REFERENCES.md</c> beside it).
/// </summary>
/// <remarks>
/// Defined once, here, because two sides share it: the helper library writes it (<c>Interactive.Metrics.Record</c>)
/// and the runner reads it back out of executed notebooks (its report and the rendered site). This project is the one
/// both reference; the runner does not reference the helper library.
/// </remarks>
public static class MetricsFormat
{
    /// <summary>The MIME type of a metrics record.</summary>
    public const string MimeType = "application/vnd.deeplearning-course.metrics+json";

    /// <summary>
    /// The MIME type of an exercise verdict (<c>Exercises.Exercise.Check</c> in the library):
    /// <c>{"id":"01.1","title":"…","solved":false,"message":"…"}</c>. The runner's report collects them per notebook.
    /// </summary>
    public const string ExerciseMimeType = "application/vnd.deeplearning-course.exercise+json";
}
