namespace DeepLearning.Course.Reinforcement;

/// <summary>Action values of a finite problem and what follows from them: state values and the greedy policy.</summary>
/// <param name="Q">Action values <c>Q[state, action]</c>.</param>
/// <param name="Iterations">Sweeps (value iteration) or episodes (Q-learning) it took.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="ValueIteration"/>.</remarks>
public sealed record TabularSolution(double[,] Q, int Iterations)
{
    /// <summary>V(s) = max_a Q(s, a).</summary>
    public double[] Values { get; } = Enumerable.Range(0, Q.GetLength(0)).Select(s => Row(Q, s).Max()).ToArray();

    /// <summary>The greedy policy: argmax_a Q(s, a), ties to the lowest action.</summary>
    public int[] Policy { get; } = Enumerable.Range(0, Q.GetLength(0)).Select(s => Sampling.ArgMax(Row(Q, s))).ToArray();

    /// <summary>Every action within <paramref name="tolerance"/> of the best in <paramref name="state"/> (all optimal ones).</summary>
    /// <param name="state">The state.</param>
    /// <param name="tolerance">How close to the maximum counts as equal.</param>
    /// <returns>The actions, ascending.</returns>
    public int[] BestActions(int state, double tolerance = 1e-6)
    {
        var row = Row(Q, state);
        var max = row.Max();
        return Enumerable.Range(0, row.Length).Where(a => row[a] >= max - tolerance).ToArray();
    }

    /// <summary>The values as a grid (row-major states), e.g. for <c>Charts.Heatmap</c>.</summary>
    /// <param name="columns">Columns of the grid.</param>
    /// <returns>Rows of values.</returns>
    public double[][] ValueGrid(int columns) => Values.Chunk(columns).ToArray();

    private static double[] Row(double[,] q, int state) => Enumerable.Range(0, q.GetLength(1)).Select(a => q[state, a]).ToArray();
}
