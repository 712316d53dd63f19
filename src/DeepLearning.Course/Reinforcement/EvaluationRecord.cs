namespace DeepLearning.Course.Reinforcement;

/// <summary>A greedy evaluation during training, on validation seeds apart from the training and test seeds.</summary>
/// <param name="Step">Environment steps of training so far.</param>
/// <param name="MeanReturn">Mean return of the greedy policy over the evaluation episodes.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="DqnAgent"/>.</remarks>
public sealed record EvaluationRecord(long Step, double MeanReturn);
