namespace DeepLearning.Course.Reinforcement;

/// <summary>One possible outcome of an action in a known model (a row of Gym's <c>P[s][a]</c>).</summary>
/// <param name="Probability">How likely this outcome is.</param>
/// <param name="Next">The next state.</param>
/// <param name="Reward">The reward for the step.</param>
/// <param name="Terminated">Whether the episode ends in <paramref name="Next"/>.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="ITabularModel"/>.</remarks>
public readonly record struct TabularTransition(double Probability, int Next, double Reward, bool Terminated);
