namespace DeepLearning.Course.Reinforcement;

/// <summary>An agent for a one-state problem (a bandit): choose an arm, then learn from its reward.</summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="GaussianBandit"/>.</remarks>
public interface IBanditAgent
{
    /// <summary>The agent's current estimate of each arm's mean reward.</summary>
    IReadOnlyList<double> Estimates { get; }

    /// <summary>Chooses the arm to pull next.</summary>
    /// <returns>An arm index.</returns>
    int SelectAction();

    /// <summary>Learns from the reward that pulling <paramref name="action"/> paid.</summary>
    /// <param name="action">The arm pulled.</param>
    /// <param name="reward">Its reward.</param>
    void Update(int action, double reward);
}
