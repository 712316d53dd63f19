namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Tabular Q-learning (Watkins 1989; Sutton &amp; Barto 2018, section 6.5): act ε-greedily, and after every step move
/// Q(s, a) toward r + γ max_a′ Q(s′, a′) by α (toward r alone when the step terminated; a truncated step still
/// bootstraps). Off-policy: it learns the greedy policy's values while exploring, from experience alone.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), on <see cref="FrozenLake"/>.</remarks>
public sealed class QLearningAgent
{
    private readonly double[,] _q;
    private readonly double[] _row;
    private readonly Random _random;

    /// <summary>Creates the agent with all action values 0.</summary>
    /// <param name="states">Number of states.</param>
    /// <param name="actions">Number of actions.</param>
    /// <param name="config">Hyperparameters; <c>null</c> for the defaults.</param>
    /// <param name="seed">Seeds exploration and tie-breaking.</param>
    public QLearningAgent(int states, int actions, QLearningConfig? config = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 1);
        Config = config ?? new QLearningConfig();
        _q = new double[states, actions];
        _row = new double[actions];
        _random = new Random(seed);
    }

    /// <summary>The hyperparameters.</summary>
    public QLearningConfig Config { get; }

    /// <summary>A copy of the current action values, with their values and greedy policy.</summary>
    /// <param name="episodes">Episodes trained so far, recorded in <see cref="TabularSolution.Iterations"/>.</param>
    /// <returns>The solution.</returns>
    public TabularSolution Solution(int episodes = 0) => new((double[,])_q.Clone(), episodes);

    /// <summary>The ε-greedy action in <paramref name="state"/> (ties broken at random).</summary>
    /// <param name="state">The state.</param>
    /// <param name="epsilon">Exploration probability.</param>
    /// <returns>The action.</returns>
    public int Act(int state, double epsilon)
    {
        if (_random.NextDouble() < epsilon) return _random.Next(_row.Length);
        for (var a = 0; a < _row.Length; a++) _row[a] = _q[state, a];
        return Sampling.ArgMax(_row, _random);
    }

    /// <summary>One Q-learning update from a step's experience.</summary>
    /// <param name="state">Where the step started.</param>
    /// <param name="action">What was done.</param>
    /// <param name="step">What the environment returned.</param>
    /// <returns>The TD error r + γ max Q(s′) − Q(s, a) before the update.</returns>
    public double Update(int state, int action, Transition<int> step)
    {
        var target = step.Reward;
        if (!step.Terminated)
        {
            var next = double.NegativeInfinity;
            for (var a = 0; a < _row.Length; a++) next = Math.Max(next, _q[step.Observation, a]);
            target += Config.Gamma * next;
        }
        var error = target - _q[state, action];
        _q[state, action] += Config.LearningRate * error;
        return error;
    }

    /// <summary>Learns for <paramref name="episodes"/> episodes with ε falling linearly (<see cref="QLearningConfig"/>).</summary>
    /// <param name="env">Any environment with discrete states.</param>
    /// <param name="episodes">Episodes to play.</param>
    /// <param name="seed">Seeds the environment at the first reset.</param>
    /// <returns>Each episode's return (undiscounted sum of rewards).</returns>
    public List<double> Train(IEnvironment<int> env, int episodes, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!env.ObservationSpace.IsDiscrete || env.ObservationSpace.Size != _q.GetLength(0) || env.ActionCount != _row.Length)
            throw new ArgumentException($"This agent has {_q.GetLength(0)} states and {_row.Length} actions; the environment has {env.ObservationSpace} and {env.ActionCount} actions.", nameof(env));
        var schedule = new EpsilonSchedule(Config.EpsilonStart, Config.EpsilonEnd, Math.Max(1, (int)(Config.DecayFraction * episodes)));
        var returns = new List<double>(episodes);
        for (var e = 0; e < episodes; e++)
        {
            var state = env.Reset(e == 0 ? seed : null);
            var epsilon = schedule.Value(e);
            var total = 0.0;
            while (true)
            {
                var action = Act(state, epsilon);
                var step = env.Step(action);
                Update(state, action, step);
                total += step.Reward;
                if (step.Done) break;
                state = step.Observation;
            }
            returns.Add(total);
        }
        return returns;
    }
}
