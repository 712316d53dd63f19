namespace DeepLearning.Course.Reinforcement;

/// <summary>Plays a fixed policy: one episode, or many for an evaluation (the agent does not learn).</summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public static class Rollout
{
    /// <summary>Plays one episode of <paramref name="policy"/>.</summary>
    /// <typeparam name="TObservation">The environment's observation type.</typeparam>
    /// <param name="env">The environment.</param>
    /// <param name="policy">Observation → action.</param>
    /// <param name="seed">Seed of the episode's reset (<c>null</c> continues the generator).</param>
    /// <param name="observations">When given, receives every observation from the first to the last.</param>
    /// <returns>The return (sum of rewards).</returns>
    public static double Episode<TObservation>(IEnvironment<TObservation> env, Func<TObservation, int> policy, int? seed = null, List<TObservation>? observations = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(policy);
        var obs = env.Reset(seed);
        observations?.Add(obs);
        var total = 0.0;
        while (true)
        {
            var step = env.Step(policy(obs));
            total += step.Reward;
            obs = step.Observation;
            observations?.Add(obs);
            if (step.Done) return total;
        }
    }

    /// <summary>Plays one episode per seed and returns each return.</summary>
    /// <typeparam name="TObservation">The environment's observation type.</typeparam>
    /// <param name="env">The environment.</param>
    /// <param name="policy">Observation → action (usually greedy).</param>
    /// <param name="seeds">One reset seed per episode; keep them apart from the training seeds.</param>
    /// <returns>The returns, in seed order.</returns>
    public static double[] Evaluate<TObservation>(IEnvironment<TObservation> env, Func<TObservation, int> policy, IEnumerable<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        return seeds.Select(s => Episode(env, policy, s)).ToArray();
    }
}
