namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// The shape of an environment's observations (Gym's <c>Discrete</c> and <c>Box</c>): either <see cref="Size"/> discrete
/// states, or a vector of <see cref="Size"/> numbers with per-component bounds (infinite where unbounded).
/// </summary>
/// <param name="Size">Number of states (discrete) or vector length (box).</param>
/// <param name="IsDiscrete">Whether observations are state indices.</param>
/// <param name="Low">Lower bound per component (box only).</param>
/// <param name="High">Upper bound per component (box only).</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="IEnvironment{TObservation}"/>.</remarks>
public sealed record Space(int Size, bool IsDiscrete, IReadOnlyList<double>? Low = null, IReadOnlyList<double>? High = null)
{
    /// <summary><paramref name="count"/> states, numbered 0 to <c>count - 1</c>.</summary>
    /// <param name="count">The number of states.</param>
    /// <returns>The space.</returns>
    public static Space Discrete(int count) => new(count, true);

    /// <summary>Vectors bounded componentwise by <paramref name="low"/> and <paramref name="high"/>.</summary>
    /// <param name="low">Lower bounds.</param>
    /// <param name="high">Upper bounds, as many as <paramref name="low"/>.</param>
    /// <returns>The space.</returns>
    public static Space Box(double[] low, double[] high)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        if (low.Length != high.Length) throw new ArgumentException($"low has {low.Length} bounds, high {high.Length}.", nameof(high));
        return new(low.Length, false, low, high);
    }

    /// <inheritdoc/>
    public override string ToString() => IsDiscrete ? $"Discrete({Size})"
        : $"Box({Size}: [{string.Join(", ", Low!.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}] to [{string.Join(", ", High!.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}])";
}
