using System.Globalization;

namespace DeepLearning.Course.Platform;

/// <summary>
/// When two hosts learned the same numbers: the metrics one chapter recorded (<see cref="MetricsFormat"/>) in the
/// course's runner and in another host (Microsoft's .NET Interactive) agree when both recorded the same names and
/// every value agrees within <see cref="Tolerance"/> × max(1, |value|): relative above 1, absolute below. Metrics
/// named <c>*_seconds</c> are wall times: they measure the host, not what was learned, and are not compared.
/// </summary>
/// <remarks>
/// Defined once, here, because two sides apply it: the real-kernel chapter test
/// (<c>tests/NotebookRunner.Tests/RealKernel</c>) and the benchmark's chapter hosts (<c>benchmarks/Benchmarks</c>).
/// Both hosts run the same libtorch with the same seeds and thread count; measured, every metric was bit-identical
/// except two that measure float64 rounding themselves (chapter 01's <c>gd_vs_closed_form_rel_diff</c> 2.8e-7 and
/// <c>nn_vs_closed_form_rel_diff</c> 8.2e-13, which moved by 4e-17).
/// </remarks>
public static class MetricsAgreement
{
    /// <summary>The allowed difference, scaled by max(1, |expected|).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Whether a metric is a wall time (<c>*_seconds</c>), recorded by every host but not compared.</summary>
    /// <param name="name">The metric's name.</param>
    public static bool IsWallTime(string name) => name.EndsWith("_seconds", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="actual"/> agrees with <paramref name="expected"/> within the tolerance.</summary>
    /// <param name="expected">The course runner's value.</param>
    /// <param name="actual">The other host's value.</param>
    public static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected));

    /// <summary>
    /// Every disagreement, one line each: a name only one side recorded, or a compared value outside the tolerance
    /// (<c>name: course 0.91, .NET Interactive 0.9</c>). Empty when the two agree.
    /// </summary>
    /// <param name="expected">The metrics the reference host recorded.</param>
    /// <param name="actual">The metrics the other host recorded.</param>
    /// <param name="expectedHost">The reference host's name in the lines.</param>
    /// <param name="actualHost">The other host's name in the lines.</param>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, double> expected, IReadOnlyDictionary<string, double> actual,
        string expectedHost, string actualHost)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var lines = new List<string>();
        lines.AddRange(expected.Keys.Where(name => !actual.ContainsKey(name)).Order(StringComparer.Ordinal).Select(name => $"{name}: only in {expectedHost}"));
        lines.AddRange(actual.Keys.Where(name => !expected.ContainsKey(name)).Order(StringComparer.Ordinal).Select(name => $"{name}: only in {actualHost}"));
        foreach (var (name, value) in expected.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (IsWallTime(name) || !actual.TryGetValue(name, out var other) || Close(value, other)) continue;
            lines.Add($"{name}: {expectedHost} {value.ToString("R", CultureInfo.InvariantCulture)}, {actualHost} {other.ToString("R", CultureInfo.InvariantCulture)}");
        }
        return lines;
    }
}
