namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// ε-greedy with sample-average estimates (Sutton &amp; Barto 2018, section 2.4): with probability ε pull a uniformly
/// random arm (explore), otherwise the arm with the highest estimate, ties broken at random (exploit). Each estimate is
/// the mean of the rewards its arm has paid, updated incrementally: Q ← Q + (R − Q) / N.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning); ε = 0 is the purely greedy agent it is compared with.</remarks>
public sealed class EpsilonGreedyAgent : IBanditAgent
{
    private readonly double[] _estimates;
    private readonly int[] _counts;
    private readonly Random _random;

    /// <summary>Creates the agent.</summary>
    /// <param name="arms">Number of arms.</param>
    /// <param name="epsilon">Probability of a random pull, in [0, 1].</param>
    /// <param name="seed">Seeds its exploration and tie-breaking.</param>
    /// <param name="initialEstimate">Every arm's estimate before its first pull (Sutton &amp; Barto's optimistic 5 encourages early exploration).</param>
    public EpsilonGreedyAgent(int arms, double epsilon, int seed = 0, double initialEstimate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arms, 1);
        if (epsilon is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε is a probability in [0, 1].");
        Epsilon = epsilon;
        _estimates = Enumerable.Repeat(initialEstimate, arms).ToArray();
        _counts = new int[arms];
        _random = new Random(seed);
    }

    /// <summary>The exploration probability.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public IReadOnlyList<double> Estimates => _estimates;

    /// <summary>How often each arm was pulled.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <inheritdoc/>
    public int SelectAction() =>
        _random.NextDouble() < Epsilon ? _random.Next(_estimates.Length) : Sampling.ArgMax(_estimates, _random);

    /// <inheritdoc/>
    public void Update(int action, double reward)
    {
        _counts[action]++;
        _estimates[action] += (reward - _estimates[action]) / _counts[action];
    }
}
