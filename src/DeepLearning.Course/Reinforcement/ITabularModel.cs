namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// A finite Markov decision process whose dynamics are known: what dynamic programming (<see cref="ValueIteration"/>)
/// needs, and what model-free learners such as <see cref="QLearningAgent"/> never read.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="FrozenLake"/>.</remarks>
public interface ITabularModel
{
    /// <summary>Number of states.</summary>
    int StateCount { get; }

    /// <summary>Number of actions in every state.</summary>
    int ActionCount { get; }

    /// <summary>Every outcome of taking <paramref name="action"/> in <paramref name="state"/>; probabilities sum to 1.
    /// A terminal state's outcomes stay where they are with reward 0.</summary>
    /// <param name="state">The state.</param>
    /// <param name="action">The action.</param>
    /// <returns>The outcomes.</returns>
    IReadOnlyList<TabularTransition> Transitions(int state, int action);

    /// <summary>Whether <paramref name="state"/> ends an episode (nothing more can be earned from it).</summary>
    /// <param name="state">The state.</param>
    /// <returns><c>true</c> for terminal states.</returns>
    bool IsTerminal(int state);
}
