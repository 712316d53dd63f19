using System.Globalization;

namespace DeepLearning.Course.Interactive;

/// <summary>One row of a chapter's results: a recorded metric, what it means, and what it must satisfy.</summary>
/// <param name="Metric">The metric name recorded with <see cref="Metrics.Record(string, double)"/>, e.g. <c>cnn_test_accuracy</c>.</param>
/// <param name="Label">What the number is, for a reader.</param>
/// <param name="Value">Our measured value.</param>
/// <param name="Threshold">What it must satisfy in quick and full mode, or <c>null</c> for an informational row.</param>
/// <param name="Published">The published numbers it is compared with (possibly none).</param>
/// <param name="Format">A .NET format string for <see cref="Value"/>, or <c>null</c> for the table's default.</param>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public sealed record ResultRow(string Metric, string Label, double Value, Threshold? Threshold, IReadOnlyList<PublishedResult> Published, string? Format = null)
{
    /// <summary>Our value as the table shows it.</summary>
    public string ValueText => Format is null ? Condition.Number(Value) : Value.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Whether this mode checks the row at all.</summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>False for informational rows.</returns>
    public bool IsChecked(bool quick) => Threshold?.Checks(quick) == true;

    /// <summary>Whether the row passes in the given mode (an unchecked row always does).</summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>True when every condition of this mode holds.</returns>
    public bool Passes(bool quick) => Threshold?.IsMet(Value, quick) ?? true;

    /// <summary>The status cell: <c>pass</c>, <c>FAIL</c> or <c>—</c> (not checked in this mode).</summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>The status word.</returns>
    public string Status(bool quick) => !IsChecked(quick) ? "—" : Passes(quick) ? "pass" : "FAIL";
}
