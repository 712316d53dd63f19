using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>Value iteration and tabular Q-learning on FrozenLake: Bellman's equation, and the two methods agreeing.</summary>
public class TabularAgentTests
{
    [Fact]
    public void Value_iteration_on_the_deterministic_lake_values_the_start_at_gamma_to_the_fifth()
    {
        // Given the lake without slipping and γ = 0.99
        var env = new FrozenLake(isSlippery: false);
        // When value iteration solves it
        var solution = ValueIteration.Solve(env, gamma: 0.99);
        // Then the start is worth γ⁵ (the reward comes on the 6th step of the shortest path), and the greedy policy walks it
        Assert.Equal(Math.Pow(0.99, 5), solution.Values[env.Start], 9);
        var states = new List<int>();
        Assert.Equal(1.0, Rollout.Episode(env, s => solution.Policy[s], 0, states));
        Assert.Equal(7, states.Count);   // the start and 6 steps
        Assert.Equal(0.0, solution.Values[5]);   // a hole is worth nothing
    }

    [Fact]
    public void Value_iteration_on_ice_satisfies_the_bellman_optimality_equation()
    {
        // Given the slippery lake
        var env = new FrozenLake();
        // When value iteration solves it
        var solution = ValueIteration.Solve(env, gamma: 0.99);
        var v = solution.Values;
        // Then V(s) = max_a Σ p (r + γ V(s')) in every state, to the tolerance
        for (var s = 0; s < env.StateCount; s++)
        {
            var best = Enumerable.Range(0, 4).Max(a => env.Transitions(s, a).Sum(t => t.Probability * (t.Reward + (t.Terminated ? 0 : 0.99 * v[t.Next]))));
            Assert.Equal(best, v[s], 8);
        }
        // ... and its greedy policy reaches the goal in most episodes despite the slips
        var returns = Rollout.Evaluate(env, s => solution.Policy[s], Enumerable.Range(0, 1000));
        Assert.InRange(returns.Average(), 0.6, 1.0);
    }

    [Fact]
    public void On_the_deterministic_lake_q_learning_finds_value_iterations_greedy_policy()
    {
        // Given the deterministic lake, γ = 0.9, and value iteration's optimal actions
        var env = new FrozenLake(isSlippery: false);
        var optimal = ValueIteration.Solve(env, gamma: 0.9);
        // When Q-learning learns from 3,000 episodes of experience alone
        var agent = new QLearningAgent(16, 4, new QLearningConfig(Gamma: 0.9, LearningRate: 0.5), seed: 0);
        var returns = agent.Train(env, 3000, seed: 0);
        var learned = agent.Solution(3000);
        // Then in every non-terminal state its greedy action is one of value iteration's optimal actions
        for (var s = 0; s < 16; s++)
        {
            if (env.IsTerminal(s)) continue;
            Assert.Contains(learned.Policy[s], optimal.BestActions(s));
            Assert.Equal(optimal.Values[s], learned.Values[s], 3);
        }
        // ... and late episodes mostly reach the goal (ε = 0.05 still explores)
        Assert.True(returns.TakeLast(500).Average() > 0.8);
    }

    [Fact]
    public void The_update_bootstraps_on_truncated_steps_and_not_on_terminated_ones()
    {
        // Given an agent with α = 0.5, γ = 0.9 and all values 0
        var agent = new QLearningAgent(4, 2, new QLearningConfig(Gamma: 0.9, LearningRate: 0.5));
        // When a terminated step pays 1 from state 0 (action 0), then steps lead into state 0
        agent.Update(0, 0, new Transition<int>(1, 1.0, Terminated: true, Truncated: false));
        agent.Update(2, 0, new Transition<int>(0, 0.0, Terminated: false, Truncated: true));
        agent.Update(3, 0, new Transition<int>(0, 0.0, Terminated: true, Truncated: false));
        var q = agent.Solution().Q;
        // Then Q(0,0) = α·1; a truncated step into 0 gets α·γ·max Q(0); a terminated one gets nothing from it
        Assert.Equal(0.5, q[0, 0], 12);
        Assert.Equal(0.5 * 0.9 * 0.5, q[2, 0], 12);
        Assert.Equal(0.0, q[3, 0], 12);
    }

    [Fact]
    public void Q_learning_repeats_with_its_seed()
    {
        List<double> Run() => new QLearningAgent(16, 4, seed: 4).Train(new FrozenLake(), 200, seed: 9);
        Assert.Equal(Run(), Run());
    }
}
