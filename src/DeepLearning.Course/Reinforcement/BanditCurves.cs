namespace DeepLearning.Course.Reinforcement;

/// <summary>Per-step averages over many bandit runs (Sutton &amp; Barto's figure 2.2, plus regret).</summary>
/// <param name="AverageReward">Mean reward at each step, over the runs.</param>
/// <param name="OptimalActionFraction">Fraction of runs that pulled the best arm at each step.</param>
/// <param name="CumulativeRegret">Mean total regret up to each step: Σ (max q* − q*(aₜ)), the expected reward lost
/// to not knowing the best arm.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="BanditExperiment"/>.</remarks>
public sealed record BanditCurves(double[] AverageReward, double[] OptimalActionFraction, double[] CumulativeRegret)
{
    /// <summary>Mean reward over the last <paramref name="steps"/> steps.</summary>
    /// <param name="steps">How many final steps to average.</param>
    /// <returns>The mean.</returns>
    public double FinalAverageReward(int steps) => AverageReward[^Math.Min(steps, AverageReward.Length)..].Average();

    /// <summary>Mean total regret after the last step.</summary>
    public double TotalRegret => CumulativeRegret[^1];
}
