namespace DeepLearning.Course.Reinforcement;

/// <summary>Hyperparameters of <see cref="QLearningAgent"/>.</summary>
/// <param name="Gamma">Discount factor.</param>
/// <param name="LearningRate">Step size α of the update.</param>
/// <param name="EpsilonStart">Exploration probability in the first episode.</param>
/// <param name="EpsilonEnd">Exploration probability from <paramref name="DecayFraction"/> of the episodes on (linear in between).</param>
/// <param name="DecayFraction">Fraction of the training episodes over which ε falls.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public sealed record QLearningConfig(double Gamma = 0.99, double LearningRate = 0.1, double EpsilonStart = 1.0, double EpsilonEnd = 0.05, double DecayFraction = 0.5);
