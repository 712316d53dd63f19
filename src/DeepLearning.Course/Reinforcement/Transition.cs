namespace DeepLearning.Course.Reinforcement;

/// <summary>What one <see cref="IEnvironment{TObservation}.Step"/> returns (Gym's 5-tuple without <c>info</c>).</summary>
/// <typeparam name="TObservation">The environment's observation type.</typeparam>
/// <param name="Observation">The observation after the step.</param>
/// <param name="Reward">The reward for the step.</param>
/// <param name="Terminated">The task ended (the pole fell, the agent reached a hole or the goal): no future rewards, so
/// the value of <paramref name="Observation"/> is 0.</param>
/// <param name="Truncated">A time limit ended the episode although the task had not: the state still has a value, and a
/// learner that bootstraps must use it.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="IEnvironment{TObservation}"/>.</remarks>
public readonly record struct Transition<TObservation>(TObservation Observation, double Reward, bool Terminated, bool Truncated)
{
    /// <summary>Whether the episode is over, for either reason.</summary>
    public bool Done => Terminated || Truncated;
}
