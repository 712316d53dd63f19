using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>REINFORCE with a baseline: returns, a policy that learns the paying action, repeatability.</summary>
public class ReinforceAgentTests
{
    [Fact]
    public void Discounted_returns_are_summed_backwards_from_the_end()
    {
        Assert.Equal(new[] { 2.71, 1.9, 1.0 }, ReinforceAgent.DiscountedReturns([1, 1, 1], 0.9).Select(g => Math.Round(g, 12)));
        Assert.Equal(new[] { 0.25, 0.5, 1.0 }, ReinforceAgent.DiscountedReturns([0, 0, 1], 0.5));
        Assert.Empty(ReinforceAgent.DiscountedReturns([], 0.9));
    }

    [Fact]
    public void On_a_one_step_choice_the_policy_comes_to_prefer_the_paying_action()
    {
        // Given REINFORCE (without advantage normalization: a one-step episode has one advantage) where action 1 pays 1
        using var agent = new ReinforceAgent(2, 2, new ReinforceConfig(Hidden: [16], LearningRate: 2e-2, NormalizeAdvantages: false), seed: 0);
        var before = agent.Probabilities([1, 0]);
        // When it trains for 300 episodes
        var episodes = agent.Train(new OneStepChoice(), 300, seed: 0, showProgress: false);
        // Then π(1 | s) rose to near 1, and the baseline learned the expected return
        Assert.InRange(before[1], 0.2, 0.8);
        Assert.True(agent.Probabilities([1, 0])[1] > 0.95, $"π(1) = {agent.Probabilities([1, 0])[1]}");
        Assert.Equal(1, agent.Greedy([1, 0]));
        Assert.Equal(300, episodes[^1].Step);
        Assert.Equal(1.0, agent.Probabilities([1, 0]).Sum(), 5);
    }

    [Fact]
    public void The_same_seed_gives_the_same_episodes_on_cartpole()
    {
        static double[] Run()
        {
            using var agent = new ReinforceAgent(4, 2, seed: 5);
            return agent.Train(new CartPole(), 15, seed: 100, showProgress: false).Select(e => e.Return).ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
