namespace DeepLearning.Course.Data;

/// <summary>Seeded, deterministic index shuffles and train/validation/test partitions.</summary>
/// <remarks>
/// Introduced in chapter 01 (basics). Partitions are disjoint by construction: one permutation is cut
/// into three consecutive pieces. The same seed gives the same split on every run and machine.
/// </remarks>
public static class Splits
{
    /// <summary>A permutation of <c>0..n-1</c> drawn with a seeded Fisher-Yates shuffle.</summary>
    /// <param name="n">How many indices.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The permutation.</returns>
    public static int[] Permutation(int n, int seed)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return indices;
    }

    /// <summary>Cuts a seeded permutation of <c>0..n-1</c> into train, validation and test index sets.</summary>
    /// <param name="n">How many items.</param>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Three disjoint index arrays (each sorted ascending) covering <c>0..n-1</c>.</returns>
    public static (int[] Train, int[] Validation, int[] Test) Partition(int n, double validationFraction, double testFraction, int seed)
    {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "validation and test fractions must be >= 0 and sum to less than 1");
        var perm = Permutation(n, seed);
        var nVal = (int)Math.Round(n * validationFraction);
        var nTest = (int)Math.Round(n * testFraction);
        var test = perm[..nTest];
        var val = perm[nTest..(nTest + nVal)];
        var train = perm[(nTest + nVal)..];
        Array.Sort(train);
        Array.Sort(val);
        Array.Sort(test);
        return (train, val, test);
    }

    /// <summary>Keeps the first <c>round(fraction * length)</c> items (at least one when the input is not empty): the demo switch that shrinks data.</summary>
    /// <param name="indices">Indices to shrink.</param>
    /// <param name="fraction">Fraction in (0, 1].</param>
    /// <returns>The kept indices.</returns>
    public static int[] Shrink(int[] indices, double fraction)
    {
        if (fraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), "fraction must be in (0, 1]");
        if (fraction >= 1 || indices.Length == 0) return indices;
        return indices[..Math.Max(1, (int)Math.Round(indices.Length * fraction))];
    }
}
