namespace NotebookRunner.Run;

/// <summary>
/// One metric as a notebook recorded it (<see cref="MetricsReader"/>): its name and value, and, for a row of a
/// chapter's results table (the library's <c>ChapterResults</c>), what it is, its value as the table shows it and
/// the published numbers it is compared with.
/// </summary>
/// <param name="Name">The metric name, e.g. <c>cnn_test_accuracy</c>.</param>
/// <param name="Value">The recorded value.</param>
/// <param name="Label">What the number is, for a reader; null for a bare <c>Metrics.Record</c>.</param>
/// <param name="Text">The value as the results table shows it; null when the record has none.</param>
/// <param name="Published">The published anchors (<c>REFERENCES.md</c>) beside it; empty when none.</param>
public sealed record RecordedMetric(string Name, double Value, string? Label, string? Text, IReadOnlyList<PublishedAnchor> Published);
