namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// The agent–environment loop's one interface (Gym's <c>Env</c>): <see cref="Reset"/> starts an episode and returns
/// the first observation, <see cref="Step"/> applies an action and returns the next observation, the reward and whether
/// the episode ended (terminated by the task, or truncated by a time limit). Every agent of chapter 10 runs on every
/// environment whose observation type and spaces it accepts.
/// </summary>
/// <typeparam name="TObservation">What the agent sees: a state index (<c>int</c>) or a vector (<c>double[]</c>).</typeparam>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public interface IEnvironment<TObservation>
{
    /// <summary>Number of discrete actions, numbered 0 to <c>ActionCount - 1</c>.</summary>
    int ActionCount { get; }

    /// <summary>What observations look like: how many states, or how many numbers and their bounds.</summary>
    Space ObservationSpace { get; }

    /// <summary>Starts an episode. A seed re-seeds the environment's random generator (as Gym's <c>reset(seed=...)</c>);
    /// without one the generator continues, so a seeded first reset makes every later episode repeatable.</summary>
    /// <param name="seed">The seed, or <c>null</c> to continue the current generator.</param>
    /// <returns>The first observation.</returns>
    TObservation Reset(int? seed = null);

    /// <summary>Applies <paramref name="action"/> and advances the environment by one step.</summary>
    /// <param name="action">An action in <c>[0, ActionCount)</c>.</param>
    /// <returns>The next observation, the reward, and whether the episode terminated or was truncated.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The action is not one of the environment's.</exception>
    /// <exception cref="InvalidOperationException">The episode has ended (or was never started): call <see cref="Reset"/>.</exception>
    Transition<TObservation> Step(int action);
}
