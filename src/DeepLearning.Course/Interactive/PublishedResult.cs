namespace DeepLearning.Course.Interactive;

/// <summary>
/// A published number a chapter's result is measured against, with where it comes from; the same
/// anchor, with the same value and source, is listed in the repository's <c>REFERENCES.md</c>.
/// </summary>
/// <param name="Id">The anchor a chapter names, e.g. <c>fashion-mnist-readme-mlp</c>.</param>
/// <param name="Value">The number as published (may be a range or approximate: <c>0.876–0.916</c>, <c>~1.88</c>).</param>
/// <param name="What">What was measured, and how it differs from ours.</param>
/// <param name="Source">Where the number is published (or, for the course's own measurements, how it was measured).</param>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public sealed record PublishedResult(string Id, string Value, string What, string Source)
{
    /// <summary>One line: <c>0.883 — MLP 256-128-100 (zalandoresearch/fashion-mnist README)</c>.</summary>
    /// <returns>The anchor as the results table shows it.</returns>
    public override string ToString() => $"{Value} — {What} ({Source})";
}
