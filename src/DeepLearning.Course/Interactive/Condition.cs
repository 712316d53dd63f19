using System.Globalization;

namespace DeepLearning.Course.Interactive;

/// <summary>
/// One condition of a <see cref="Threshold"/>: a comparison with a bound for quick mode and one for
/// full mode; a mode whose bound is <c>null</c> does not check it.
/// </summary>
/// <param name="Kind">The comparison.</param>
/// <param name="Quick">The bound in quick mode (CI), or <c>null</c> when quick mode does not check it.</param>
/// <param name="Full">The bound in full mode, or <c>null</c> when full mode does not check it.</param>
/// <param name="Tolerance">For <see cref="ThresholdKind.Within"/>: the allowed distance from the bound.</param>
/// <param name="Against">What the bound is, when it is another result (e.g. "the vanilla RNN").</param>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public sealed record Condition(ThresholdKind Kind, double? Quick, double? Full, double Tolerance = 0, string? Against = null)
{
    /// <summary>The bound that applies in the given mode, or <c>null</c> when that mode does not check it.</summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>The bound.</returns>
    public double? Bound(bool quick) => quick ? Quick : Full;

    /// <summary>Whether <paramref name="value"/> meets this condition in the given mode (NaN never does).</summary>
    /// <param name="value">The measured value.</param>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>True when met or not checked in this mode.</returns>
    public bool IsMet(double value, bool quick) => Bound(quick) is not { } bound || Kind switch
    {
        ThresholdKind.AtLeast => value >= bound,
        ThresholdKind.AtMost => value <= bound,
        ThresholdKind.Above => value > bound,
        ThresholdKind.Below => value < bound,
        ThresholdKind.Within => Math.Abs(value - bound) <= Tolerance,
        _ => throw new InvalidOperationException($"unknown comparison {Kind}"),
    };

    /// <summary>
    /// The condition as the results table writes it for the given mode, e.g. <c>≥ 0.95</c>,
    /// <c>&lt; 2.013 (the vanilla RNN)</c>; where the other mode's bound differs it follows in
    /// parentheses: <c>≥ 0.93 (full: ≥ 0.95)</c>, <c>none (full: &lt; 2.013 (nn.RNN))</c>.
    /// </summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>The text.</returns>
    public string Describe(bool quick)
    {
        var here = Bound(quick) is { } b ? Describe(b) : "none";
        if (Bound(quick) == Bound(!quick)) return here;
        var there = Bound(!quick) is { } o ? Describe(o) : "none";
        return $"{here} ({(quick ? "full" : "quick")}: {there})";
    }

    private string Describe(double bound)
    {
        var text = Kind switch
        {
            ThresholdKind.AtLeast => $"≥ {Number(bound)}",
            ThresholdKind.AtMost => $"≤ {Number(bound)}",
            ThresholdKind.Above => $"> {Number(bound)}",
            ThresholdKind.Below => $"< {Number(bound)}",
            _ => $"{Number(bound)} ± {Number(Tolerance)}",
        };
        return Against is null ? text : $"{text} ({Against})";
    }

    /// <summary>A bound or value as the results table writes it: <c>1e-05</c>, <c>0.95</c>, <c>1.6591</c>, <c>60,000</c> (four decimals below 1,000, none above).</summary>
    /// <param name="value">The number.</param>
    /// <returns>Invariant-culture text.</returns>
    public static string Number(double value) =>
        value == 0 || !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(value) < 1e-3 ? value.ToString("0.##e+00", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}
