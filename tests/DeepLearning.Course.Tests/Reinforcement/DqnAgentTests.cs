using DeepLearning.Course.Reinforcement;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>DQN's parts: regression onto terminal rewards, the target network's sync, repeatability with a seed.</summary>
public class DqnAgentTests
{
    private static DqnConfig Small(int evalEvery = 0) => new(Hidden: [32], LearningRate: 1e-2, BatchSize: 32, BufferSize: 1000,
        LearningStarts: 50, TrainEvery: 1, GradientSteps: 1, TargetSyncEvery: 50, ExplorationSteps: 200, EvalEvery: evalEvery, EvalEpisodes: 2);

    [Fact]
    public void On_a_one_step_choice_q_values_learn_the_rewards_and_the_greedy_action_is_the_paying_one()
    {
        // Given DQN on an environment where action 1 pays 1 and action 0 pays 0, then the episode ends
        using var agent = new DqnAgent(2, 2, Small(), seed: 0);
        var env = new OneStepChoice();
        // When it trains for 600 steps
        var episodes = agent.Train(env, 600, seed: 0, showProgress: false);
        // Then Q(s, 0) ≈ 0 and Q(s, 1) ≈ 1 (terminal steps: the target is the reward alone), and it acts greedily on action 1
        var q = agent.QValues([1, 0]);
        Assert.Equal(0.0, q[0], 1);
        Assert.Equal(1.0, q[1], 1);
        Assert.Equal(1, agent.Greedy([1, 0]));
        Assert.Equal(600, episodes.Count);
        Assert.True(episodes.TakeLast(100).Average(e => e.Return) > 0.8, "with ε down to 0.04, late episodes choose action 1");
        Assert.Equal(600 - 50 + 1, agent.GradientStepsDone);
    }

    [Fact]
    public void The_target_network_changes_only_when_synced()
    {
        // Given an agent whose memory holds some transitions
        using var agent = new DqnAgent(2, 2, Small(), seed: 1);
        for (var i = 0; i < 64; i++) agent.Buffer.Add([1, 0], i % 2, i % 2, [0, 1], true);
        using var before = agent.Target.parameters().First().detach().clone();
        var syncs = agent.TargetSyncs;
        // When it takes gradient steps
        for (var i = 0; i < 20; i++) agent.TrainStep();
        // Then the online network moved and the target did not
        Assert.True(agent.Target.parameters().First().equal(before).all().item<bool>());
        Assert.False(agent.QNetwork.parameters().First().equal(before).all().item<bool>());
        // ... until a sync copies the online weights
        agent.SyncTarget();
        Assert.Equal(syncs + 1, agent.TargetSyncs);
        Assert.All(agent.QNetwork.parameters().Zip(agent.Target.parameters()), p => Assert.True(p.First.equal(p.Second).all().item<bool>()));
    }

    [Fact]
    public void The_same_seed_trains_the_same_agent_on_cartpole()
    {
        // Given two agents and two CartPoles with the same seeds
        static (double[] Returns, Tensor Weights) Run()
        {
            using var agent = new DqnAgent(4, 2, Small(evalEvery: 300), seed: 7);
            var returns = agent.Train(new CartPole(), 800, seed: 3, showProgress: false).Select(e => e.Return).ToArray();
            return (returns, agent.QNetwork.parameters().First().detach().clone());
        }
        // When both train
        var (a, wa) = Run();
        var (b, wb) = Run();
        // Then every episode and every weight is the same
        Assert.Equal(a, b);
        Assert.True(wa.equal(wb).all().item<bool>());
        wa.Dispose();
        wb.Dispose();
    }

    [Fact]
    public void Greedy_evaluations_run_on_validation_seeds_and_the_best_weights_are_kept()
    {
        // Given an agent that evaluates every 200 steps on CartPole
        using var agent = new DqnAgent(4, 2, Small(evalEvery: 200), seed: 2);
        var env = new CartPole();
        // When it trains
        agent.Train(env, 1000, seed: 0, showProgress: false);
        // Then there were evaluations, the kept one is the best, and the kept weights score it again on the same seeds
        Assert.NotEmpty(agent.Evaluations);
        Assert.NotNull(agent.Kept);
        Assert.Equal(agent.Evaluations.Max(e => e.MeanReturn), agent.Kept!.MeanReturn);
        var again = Rollout.Evaluate(env, agent.Greedy, Enumerable.Range(agent.Config.EvalSeed, agent.Config.EvalEpisodes)).Average();
        Assert.Equal(agent.Kept.MeanReturn, again);
    }
}

/// <summary>DQN's per-step memory: acting and learning leave no tensor alive.</summary>
[Collection("Console")] // runs alone: the live-tensor count is per thread
public class DqnMemoryTests
{
    [Fact]
    public void Acting_and_gradient_steps_leave_no_tensors_alive()
    {
        // Given an agent whose memory holds transitions, warmed up (optimizer state)
        using var agent = new DqnAgent(4, 2, new DqnConfig(Hidden: [32], BatchSize: 16, BufferSize: 500), seed: 3);
        var rng = new Random(0);
        for (var i = 0; i < 200; i++)
            agent.Buffer.Add([rng.NextDouble(), 0, 0, 0], i % 2, 1, [rng.NextDouble(), 0, 0, 0], i % 7 == 0);
        agent.TrainStep();
        agent.Act([0.1, 0, 0, 0], 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        // When it acts and learns 300 times
        for (var i = 0; i < 300; i++)
        {
            agent.Act([0.01 * i, 0, 0, 0], 0);
            agent.TrainStep();
        }
        agent.SyncTarget();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Then no tensor created by a step is still alive
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after - before <= 0, $"live tensors grew from {before} to {after}");
    }
}
