namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// The 10-armed testbed experiment: many independent runs, each a fresh <see cref="GaussianBandit"/> problem and a
/// fresh agent, averaged step by step into <see cref="BanditCurves"/>.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public static class BanditExperiment
{
    /// <summary>Runs <paramref name="runs"/> problems of <paramref name="steps"/> pulls each.</summary>
    /// <param name="makeAgent">A new agent for run r: <c>(arms, r) =&gt; agent</c> (seed it with r for repeatable runs).</param>
    /// <param name="arms">Arms per problem.</param>
    /// <param name="runs">Independent problems (Sutton &amp; Barto: 2,000).</param>
    /// <param name="steps">Pulls per problem (Sutton &amp; Barto: 1,000).</param>
    /// <param name="seed">Problem r is seeded with <c>seed + r</c>, so two agents run with one seed meet the same problems and rewards.</param>
    /// <returns>The averaged curves.</returns>
    public static BanditCurves Run(Func<int, int, IBanditAgent> makeAgent, int arms = 10, int runs = 2000, int steps = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(makeAgent);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var reward = new double[steps];
        var optimal = new double[steps];
        var regret = new double[steps];
        var bandit = new GaussianBandit(arms, steps);
        for (var r = 0; r < runs; r++)
        {
            bandit.Reset(seed + r);
            var agent = makeAgent(arms, r);
            var (best, bestArm) = (bandit.OptimalMean, bandit.OptimalArm);
            for (var t = 0; t < steps; t++)
            {
                var a = agent.SelectAction();
                var step = bandit.Step(a);
                agent.Update(a, step.Reward);
                reward[t] += step.Reward;
                if (a == bestArm) optimal[t]++;
                regret[t] += best - bandit.Means[a];
            }
        }
        var total = 0.0;
        for (var t = 0; t < steps; t++)
        {
            reward[t] /= runs;
            optimal[t] /= runs;
            total += regret[t] / runs;
            regret[t] = total;
        }
        return new BanditCurves(reward, optimal, regret);
    }
}
