namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Exploration that anneals linearly (Mnih et al. 2015: ε from 1 to 0.1 over the first million frames): ε falls from
/// <see cref="Start"/> to <see cref="End"/> over <see cref="Steps"/> steps (or episodes), then stays at <see cref="End"/>.
/// </summary>
/// <param name="Start">ε at step 0.</param>
/// <param name="End">ε from step <paramref name="Steps"/> on.</param>
/// <param name="Steps">Length of the decay.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public sealed record EpsilonSchedule(double Start, double End, int Steps)
{
    /// <summary>ε at step <paramref name="step"/>.</summary>
    /// <param name="step">0-based step (or episode).</param>
    /// <returns>The exploration probability.</returns>
    public double Value(long step) => step >= Steps ? End : Start + (End - Start) * step / Math.Max(1, Steps);
}
