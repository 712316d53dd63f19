namespace DeepLearning.Course.Reinforcement;

/// <summary>Random draws the environments and agents share, on a seeded <see cref="Random"/>.</summary>
internal static class Sampling
{
    /// <summary>A standard normal draw (Box–Muller; two uniforms per draw, so the stream stays simple to follow).</summary>
    public static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();   // (0, 1]: log is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Uniform in <c>[low, high)</c>.</summary>
    public static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    /// <summary>An index drawn with the given probabilities, as Gym's <c>categorical_sample</c>: the first index whose
    /// cumulative probability exceeds a uniform draw.</summary>
    public static int Categorical(Random random, IReadOnlyList<double> probabilities)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            cumulative += probabilities[i];
            if (cumulative > u) return i;
        }
        return probabilities.Count - 1;   // rounding: the cumulative sum fell just short of 1
    }

    /// <summary>The index of the largest value; ties go to a uniformly drawn one among them (Sutton &amp; Barto's testbed)
    /// when <paramref name="random"/> is given, else to the lowest index.</summary>
    public static int ArgMax(ReadOnlySpan<double> values, Random? random = null)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) { best = i; ties = 1; }
            else if (values[i] == values[best] && random is not null && random.Next(++ties) == 0) best = i;
        }
        return best;
    }
}
