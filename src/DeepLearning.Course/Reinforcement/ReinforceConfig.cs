namespace DeepLearning.Course.Reinforcement;

/// <summary>Hyperparameters of <see cref="ReinforceAgent"/>.</summary>
/// <param name="Hidden">Hidden widths of the policy and of the value network.</param>
/// <param name="LearningRate">Adam's learning rate for the policy.</param>
/// <param name="ValueLearningRate">Adam's learning rate for the baseline (value network).</param>
/// <param name="Gamma">Discount factor of the returns.</param>
/// <param name="NormalizeAdvantages">Scale each episode's advantages to mean 0 and standard deviation 1 (common practice; keeps the step size independent of the return's scale).</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public sealed record ReinforceConfig(IReadOnlyList<int>? Hidden = null, double LearningRate = 5e-3, double ValueLearningRate = 1e-2, double Gamma = 0.99, bool NormalizeAdvantages = true)
{
    /// <summary>The hidden widths, never null (defaults to one layer of 128).</summary>
    public IReadOnlyList<int> HiddenLayers => Hidden ?? [128];
}
