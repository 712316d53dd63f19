namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Hyperparameters of <see cref="DqnAgent"/>. The defaults are rl-baselines3-zoo's tuned DQN for CartPole-v1 (which
/// reports 500 ± 0 after 50,000 steps): a 256-256 network, Adam at 2.3e-3, batches of 64 from a 100,000-step memory,
/// learning from step 1,000, 128 gradient steps every 256 environment steps, the target network synced every 10
/// environment steps, ε from 1 to 0.04 over the first 8,000 steps, γ = 0.99, gradients clipped to norm 10.
/// </summary>
/// <param name="Hidden">Hidden widths of the Q-network.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="BatchSize">Transitions per gradient step.</param>
/// <param name="BufferSize">Replay memory capacity.</param>
/// <param name="LearningStarts">Environment steps before the first gradient step (the memory fills with random play).</param>
/// <param name="TrainEvery">Environment steps between bursts of gradient steps.</param>
/// <param name="GradientSteps">Gradient steps per burst.</param>
/// <param name="TargetSyncEvery">Environment steps between copies of the online network into the target network.</param>
/// <param name="Gamma">Discount factor.</param>
/// <param name="EpsilonStart">ε at the first step.</param>
/// <param name="EpsilonEnd">ε after <paramref name="ExplorationSteps"/>.</param>
/// <param name="ExplorationSteps">Steps over which ε falls linearly.</param>
/// <param name="MaxGradNorm">Gradient-norm clip (SB3's <c>max_grad_norm</c>).</param>
/// <param name="EvalEvery">Environment steps between greedy evaluations (0: none); checked at episode ends.</param>
/// <param name="EvalEpisodes">Episodes per evaluation.</param>
/// <param name="EvalSeed">First seed of the evaluation episodes (keep them apart from training and test seeds).</param>
/// <param name="KeepBest">Restore, at the end, the weights of the best evaluation (model selection on the validation seeds).</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public sealed record DqnConfig(
    IReadOnlyList<int>? Hidden = null, double LearningRate = 2.3e-3, int BatchSize = 64, int BufferSize = 100_000,
    int LearningStarts = 1_000, int TrainEvery = 256, int GradientSteps = 128, int TargetSyncEvery = 10, double Gamma = 0.99,
    double EpsilonStart = 1.0, double EpsilonEnd = 0.04, int ExplorationSteps = 8_000, double MaxGradNorm = 10,
    int EvalEvery = 5_000, int EvalEpisodes = 5, int EvalSeed = 1_000_000, bool KeepBest = true)
{
    /// <summary>The hidden widths, never null (defaults to 256-256).</summary>
    public IReadOnlyList<int> HiddenLayers => Hidden ?? [256, 256];
}
