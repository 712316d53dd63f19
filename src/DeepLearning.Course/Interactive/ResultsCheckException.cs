namespace DeepLearning.Course.Interactive;

/// <summary>
/// Thrown by <see cref="ChapterResults.Check"/> when results miss their thresholds: one exception
/// whose message lists every failed row with the mode and the threshold it missed.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public sealed class ResultsCheckException : Exception
{
    /// <summary>Creates the exception for the rows that failed in the given mode.</summary>
    /// <param name="failed">The rows that missed their thresholds.</param>
    /// <param name="quick">True for quick mode.</param>
    public ResultsCheckException(IReadOnlyList<ResultRow> failed, bool quick)
        : base(Describe(failed, quick))
    {
        Failed = failed;
        Quick = quick;
    }

    /// <summary>The rows that missed their thresholds.</summary>
    public IReadOnlyList<ResultRow> Failed { get; }

    /// <summary>True when the check ran in quick mode.</summary>
    public bool Quick { get; }

    private static string Describe(IReadOnlyList<ResultRow> failed, bool quick)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var mode = quick ? "quick" : "full";
        var lines = failed.Select(r => $"  {r.Label} ({r.Metric}) = {r.ValueText}; required in {mode} mode: {r.Threshold!.Describe(quick)}");
        var count = failed.Count == 1 ? "1 result misses its" : $"{failed.Count} results miss their";
        return $"{count} {mode}-mode threshold{(failed.Count == 1 ? "" : "s")}:\n{string.Join("\n", lines)}";
    }
}
