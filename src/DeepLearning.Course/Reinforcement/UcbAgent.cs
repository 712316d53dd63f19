namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Upper-confidence-bound action selection (Auer et al. 2002; Sutton &amp; Barto 2018, section 2.7): pull
/// argmax_a [Q(a) + c √(ln t / N(a))], where t counts pulls so far (from 1) and an arm never pulled counts as maximal,
/// so every arm is tried once first. The bonus shrinks as an arm is pulled: uncertainty, not chance, drives exploration.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public sealed class UcbAgent : IBanditAgent
{
    private readonly double[] _estimates;
    private readonly int[] _counts;
    private readonly double[] _scores;
    private readonly Random _random;
    private int _t;

    /// <summary>Creates the agent.</summary>
    /// <param name="arms">Number of arms.</param>
    /// <param name="c">Weight of the exploration bonus (Sutton &amp; Barto's testbed: 2).</param>
    /// <param name="seed">Seeds its tie-breaking.</param>
    public UcbAgent(int arms, double c = 2, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arms, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        C = c;
        _estimates = new double[arms];
        _counts = new int[arms];
        _scores = new double[arms];
        _random = new Random(seed);
    }

    /// <summary>The bonus weight c.</summary>
    public double C { get; }

    /// <inheritdoc/>
    public IReadOnlyList<double> Estimates => _estimates;

    /// <summary>How often each arm was pulled.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <inheritdoc/>
    public int SelectAction()
    {
        var t = _t + 1;
        for (var a = 0; a < _scores.Length; a++)
            _scores[a] = _counts[a] == 0 ? double.PositiveInfinity : _estimates[a] + C * Math.Sqrt(Math.Log(t) / _counts[a]);
        return Sampling.ArgMax(_scores, _random);
    }

    /// <inheritdoc/>
    public void Update(int action, double reward)
    {
        _t++;
        _counts[action]++;
        _estimates[action] += (reward - _estimates[action]) / _counts[action];
    }
}
