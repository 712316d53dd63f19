namespace Benchmarks;

/// <summary>Small statistics over repetitions.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Relative spread: (max - min) / median, a quick noise indicator.</summary>
    public static double Spread(IReadOnlyCollection<double> values) =>
        values.Count < 2 ? 0 : (values.Max() - values.Min()) / Median(values);
}
