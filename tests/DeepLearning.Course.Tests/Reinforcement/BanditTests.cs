using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>The 10-armed testbed and its agents: seeded problems, Gaussian rewards, ε-greedy against greedy, UCB's regret.</summary>
public class BanditTests
{
    [Fact]
    public void A_seed_fixes_the_arm_means_and_the_rewards_and_a_run_is_truncated_at_its_horizon()
    {
        // Given two bandits reset with the same seed and one with another
        var (a, b, c) = (new GaussianBandit(10, 5), new GaussianBandit(10, 5), new GaussianBandit(10, 5));
        a.Reset(1); b.Reset(1); c.Reset(2);
        // Then the means and the rewards repeat with the seed and differ without it
        Assert.Equal(a.Means, b.Means);
        Assert.NotEqual(a.Means, c.Means);
        var ra = Enumerable.Range(0, 5).Select(i => a.Step(i)).ToList();
        var rb = Enumerable.Range(0, 5).Select(i => b.Step(i)).ToList();
        Assert.Equal(ra, rb);
        // ... and only the 5th pull is truncated (a bandit never terminates)
        Assert.All(ra.Take(4), s => Assert.False(s.Done));
        Assert.True(ra[^1].Truncated && !ra[^1].Terminated);
        Assert.Throws<InvalidOperationException>(() => a.Step(0));
        Assert.Equal(a.Means.Max(), a.OptimalMean);
        Assert.Equal(a.OptimalMean, a.Means[a.OptimalArm]);
    }

    [Fact]
    public void Rewards_are_normal_around_the_arms_mean_with_unit_variance()
    {
        // Given one problem
        var bandit = new GaussianBandit(10, 40_000);
        bandit.Reset(5);
        // When arm 3 is pulled 40,000 times
        var rewards = Enumerable.Range(0, 40_000).Select(_ => bandit.Step(3).Reward).ToArray();
        // Then the rewards' mean is q*(3) and their variance 1
        var mean = rewards.Average();
        var variance = rewards.Select(r => (r - mean) * (r - mean)).Average();
        Assert.InRange(mean - bandit.Means[3], -0.02, 0.02);
        Assert.InRange(variance, 0.97, 1.03);
    }

    [Fact]
    public void Exploring_beats_greedy_and_ucb_loses_less_than_epsilon_greedy()
    {
        // Given 500 testbed problems of 1,000 steps, the same for every agent
        BanditCurves Run(Func<int, int, IBanditAgent> make) => BanditExperiment.Run(make, runs: 500, steps: 1000, seed: 0);
        var greedy = Run((k, r) => new EpsilonGreedyAgent(k, 0, r));
        var eps = Run((k, r) => new EpsilonGreedyAgent(k, 0.1, r));
        var ucb = Run((k, r) => new UcbAgent(k, 2, r));
        // Then ε = 0.1 earns more than greedy at the end (Sutton & Barto fig. 2.2), greedy finds the best arm in about a third of the problems,
        Assert.True(eps.FinalAverageReward(500) > greedy.FinalAverageReward(500) + 0.15, $"ε-greedy {eps.FinalAverageReward(500)} vs greedy {greedy.FinalAverageReward(500)}");
        Assert.InRange(greedy.OptimalActionFraction[^100..].Average(), 0.2, 0.5);
        // ... ε = 0.1 pulls the best arm at most 91% of the time, and UCB's total regret is the lowest (fig. 2.4)
        Assert.InRange(eps.OptimalActionFraction[^100..].Average(), 0.6, 0.93);
        Assert.True(ucb.TotalRegret < eps.TotalRegret && eps.TotalRegret < greedy.TotalRegret, $"regret UCB {ucb.TotalRegret}, ε-greedy {eps.TotalRegret}, greedy {greedy.TotalRegret}");
        // ... and regret only grows
        Assert.All(ucb.CumulativeRegret.Zip(ucb.CumulativeRegret.Skip(1)), p => Assert.True(p.Second >= p.First));
    }

    [Fact]
    public void The_same_seed_gives_the_same_experiment()
    {
        var first = BanditExperiment.Run((k, r) => new EpsilonGreedyAgent(k, 0.1, r), runs: 20, steps: 200, seed: 3);
        var second = BanditExperiment.Run((k, r) => new EpsilonGreedyAgent(k, 0.1, r), runs: 20, steps: 200, seed: 3);
        Assert.Equal(first.AverageReward, second.AverageReward);
        Assert.Equal(first.CumulativeRegret, second.CumulativeRegret);
    }

    [Fact]
    public void Ucb_tries_every_arm_once_before_it_repeats_one()
    {
        // Given a fresh UCB agent on a 5-armed problem
        var agent = new UcbAgent(5, 2, seed: 0);
        var pulled = new List<int>();
        // When it pulls 5 times, each paying 1
        for (var t = 0; t < 5; t++)
        {
            var a = agent.SelectAction();
            pulled.Add(a);
            agent.Update(a, 1);
        }
        // Then every arm was pulled once, and each estimate is its sample mean
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, pulled.Order());
        Assert.All(agent.Estimates, q => Assert.Equal(1.0, q));
    }
}
