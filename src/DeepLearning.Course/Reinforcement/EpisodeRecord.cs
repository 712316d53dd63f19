namespace DeepLearning.Course.Reinforcement;

/// <summary>One training episode of a learning agent.</summary>
/// <param name="Episode">1-based episode number.</param>
/// <param name="Step">Environment steps taken in training up to the end of this episode (for sample-efficiency charts).</param>
/// <param name="Return">The episode's return (sum of rewards; CartPole: its length).</param>
/// <param name="Length">Steps in the episode.</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="DqnAgent"/> and <see cref="ReinforceAgent"/>.</remarks>
public sealed record EpisodeRecord(int Episode, long Step, double Return, int Length);
