namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// The k-armed bandit testbed of Sutton &amp; Barto (2018, section 2.3): on <see cref="Reset"/> each arm's true mean
/// q*(a) is drawn from N(0, 1); pulling arm a pays a reward drawn from N(q*(a), 1). There is one state (observation 0);
/// the "episode" is a run of <see cref="Horizon"/> pulls, truncated (never terminated) after the last.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning): ε-greedy and UCB agents, average reward and regret.</remarks>
public sealed class GaussianBandit : IEnvironment<int>
{
    private readonly double[] _means;
    private Random _random = new(0);
    private int _steps = -1;

    /// <summary>Creates a bandit; its arm means are drawn at the first <see cref="Reset"/>.</summary>
    /// <param name="arms">Number of arms (the testbed's 10).</param>
    /// <param name="horizon">Pulls per run (the testbed's 1,000).</param>
    public GaussianBandit(int arms = 10, int horizon = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arms, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _means = new double[arms];
        Horizon = horizon;
    }

    /// <inheritdoc/>
    public int ActionCount => _means.Length;

    /// <inheritdoc/>
    public Space ObservationSpace { get; } = Space.Discrete(1);

    /// <summary>Pulls per run; the step that reaches it is truncated.</summary>
    public int Horizon { get; }

    /// <summary>The true arm means q*(a) of the current run (what an agent tries to learn).</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>The best arm's mean, max q*(a): the expected reward of an agent that knew the means.</summary>
    public double OptimalMean => _means.Max();

    /// <summary>The best arm (the lowest index among equals).</summary>
    public int OptimalArm => Array.IndexOf(_means, OptimalMean);

    /// <summary>Draws new arm means (a new problem of the testbed) and starts a run.</summary>
    /// <param name="seed">Seeds the means and every reward of the run; <c>null</c> continues the generator.</param>
    /// <returns>0, the one state.</returns>
    public int Reset(int? seed = null)
    {
        if (seed is int s) _random = new Random(s);
        for (var a = 0; a < _means.Length; a++) _means[a] = Sampling.Normal(_random);
        _steps = 0;
        return 0;
    }

    /// <summary>Pulls arm <paramref name="action"/>.</summary>
    /// <param name="action">The arm.</param>
    /// <returns>Observation 0, a reward drawn from N(q*(action), 1), truncated at the horizon.</returns>
    public Transition<int> Step(int action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, _means.Length);
        if (_steps < 0 || _steps >= Horizon) throw new InvalidOperationException("The run has ended (or not started): call Reset.");
        _steps++;
        return new Transition<int>(0, _means[action] + Sampling.Normal(_random), false, _steps >= Horizon);
    }
}
