namespace DeepLearning.Course.Interactive;

/// <summary>
/// What a result must satisfy, in quick mode (CI) and in full mode: one or more
/// <see cref="Condition"/>s, built with <see cref="AtLeast(double, string?)"/>, <see cref="AtMost(double, string?)"/>,
/// <see cref="Above(double, string?)"/>, <see cref="Below(double, string?)"/>, <see cref="Within"/> and
/// joined with <see cref="And"/>.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), with <see cref="ChapterResults"/>.</remarks>
public sealed class Threshold
{
    private Threshold(IReadOnlyList<Condition> conditions) => Conditions = conditions;

    /// <summary>The conditions, all of which must hold.</summary>
    public IReadOnlyList<Condition> Conditions { get; }

    /// <summary>value ≥ <paramref name="bound"/> in both modes.</summary>
    /// <param name="bound">The bound.</param>
    /// <param name="against">What the bound is, when it is derived from another result.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtLeast(double bound, string? against = null) => AtLeast(bound, bound, against);

    /// <summary>value ≥ a bound per mode; <c>null</c> leaves that mode unchecked.</summary>
    /// <param name="quick">The bound in quick mode.</param>
    /// <param name="full">The bound in full mode.</param>
    /// <param name="against">What the bound is, when it is derived from another result.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtLeast(double? quick, double? full, string? against = null) => One(new(ThresholdKind.AtLeast, quick, full, Against: against));

    /// <summary>value ≤ <paramref name="bound"/> in both modes.</summary>
    /// <param name="bound">The bound.</param>
    /// <param name="against">What the bound is, when it is derived from another result.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtMost(double bound, string? against = null) => AtMost(bound, bound, against);

    /// <summary>value ≤ a bound per mode; <c>null</c> leaves that mode unchecked.</summary>
    /// <param name="quick">The bound in quick mode.</param>
    /// <param name="full">The bound in full mode.</param>
    /// <param name="against">What the bound is, when it is derived from another result.</param>
    /// <returns>The threshold.</returns>
    public static Threshold AtMost(double? quick, double? full, string? against = null) => One(new(ThresholdKind.AtMost, quick, full, Against: against));

    /// <summary>value &gt; <paramref name="bound"/> in both modes (strictly).</summary>
    /// <param name="bound">The bound, often another result.</param>
    /// <param name="against">What the bound is, e.g. "from scratch".</param>
    /// <returns>The threshold.</returns>
    public static Threshold Above(double bound, string? against = null) => Above(bound, bound, against);

    /// <summary>value &gt; a bound per mode; <c>null</c> leaves that mode unchecked.</summary>
    /// <param name="quick">The bound in quick mode.</param>
    /// <param name="full">The bound in full mode.</param>
    /// <param name="against">What the bound is.</param>
    /// <returns>The threshold.</returns>
    public static Threshold Above(double? quick, double? full, string? against = null) => One(new(ThresholdKind.Above, quick, full, Against: against));

    /// <summary>value &lt; <paramref name="bound"/> in both modes (strictly).</summary>
    /// <param name="bound">The bound, often another result.</param>
    /// <param name="against">What the bound is, e.g. "seasonal naive".</param>
    /// <returns>The threshold.</returns>
    public static Threshold Below(double bound, string? against = null) => Below(bound, bound, against);

    /// <summary>value &lt; a bound per mode; <c>null</c> leaves that mode unchecked.</summary>
    /// <param name="quick">The bound in quick mode.</param>
    /// <param name="full">The bound in full mode.</param>
    /// <param name="against">What the bound is.</param>
    /// <returns>The threshold.</returns>
    public static Threshold Below(double? quick, double? full, string? against = null) => One(new(ThresholdKind.Below, quick, full, Against: against));

    /// <summary>|value − <paramref name="center"/>| ≤ <paramref name="tolerance"/> in both modes.</summary>
    /// <param name="center">The expected value.</param>
    /// <param name="tolerance">The allowed distance.</param>
    /// <param name="against">What the centre is, e.g. "ln 2".</param>
    /// <returns>The threshold.</returns>
    public static Threshold Within(double center, double tolerance, string? against = null) =>
        One(new(ThresholdKind.Within, center, center, tolerance, against));

    /// <summary>Both this threshold and <paramref name="other"/>.</summary>
    /// <param name="other">Further conditions.</param>
    /// <returns>A threshold with every condition of both.</returns>
    public Threshold And(Threshold other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Conditions, .. other.Conditions]);
    }

    /// <summary>Whether <paramref name="value"/> meets every condition this mode checks.</summary>
    /// <param name="value">The measured value.</param>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>True when met.</returns>
    public bool IsMet(double value, bool quick) => Conditions.All(c => c.IsMet(value, quick));

    /// <summary>Whether this mode checks anything at all.</summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>True when at least one condition has a bound in this mode.</returns>
    public bool Checks(bool quick) => Conditions.Any(c => c.Bound(quick) is not null);

    /// <summary>
    /// Every condition as <see cref="Condition.Describe(bool)"/> writes it, joined by "and", e.g.
    /// <c>≥ 0.93 (full: ≥ 0.95) and &gt; 0.578 (baseline + 0.5)</c>.
    /// </summary>
    /// <param name="quick">True for quick mode.</param>
    /// <returns>The text.</returns>
    public string Describe(bool quick) => string.Join(" and ", Conditions.Select(c => c.Describe(quick)));

    private static Threshold One(Condition condition) => new([condition]);
}
