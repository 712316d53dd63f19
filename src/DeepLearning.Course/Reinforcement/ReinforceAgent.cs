using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using DeepLearning.Course.Visualization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// REINFORCE with a learned baseline (Williams 1992; Sutton &amp; Barto 2018, section 13.4): a policy network gives action
/// probabilities π(a | s); after each episode the policy moves along ∇ log π(aₜ | sₜ) · (Gₜ − V(sₜ)), where Gₜ is the
/// discounted return from step t and V, a second network fitted to the returns by mean squared error, is the baseline:
/// it leaves the gradient's expectation unchanged and lowers its variance. (As most implementations, the γᵗ factor of
/// the textbook's update is left out.)
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), on <see cref="CartPole"/>, beside <see cref="DqnAgent"/>.</remarks>
public sealed class ReinforceAgent : IDisposable
{
    private readonly optim.Optimizer _policyOptimizer;
    private readonly optim.Optimizer _valueOptimizer;
    private readonly Random _random;
    private readonly int _observationSize;
    private readonly int _actionCount;

    /// <summary>Creates the policy and value networks (seeded) and their optimizers.</summary>
    /// <param name="observationSize">Numbers per observation.</param>
    /// <param name="actionCount">Discrete actions.</param>
    /// <param name="config">Hyperparameters; <c>null</c> for the defaults.</param>
    /// <param name="seed">Seeds the initial weights (torch's generator) and the sampled actions.</param>
    public ReinforceAgent(int observationSize, int actionCount, ReinforceConfig? config = null, int seed = 0)
    {
        Config = config ?? new ReinforceConfig();
        _observationSize = observationSize;
        _actionCount = actionCount;
        manual_seed(seed);
        Policy = new Mlp(new MlpConfig(observationSize, Config.HiddenLayers, actionCount));
        Value = new Mlp(new MlpConfig(observationSize, Config.HiddenLayers, 1));
        _policyOptimizer = Optimizers.Adam()(Policy.parameters(), Config.LearningRate, 0);
        _valueOptimizer = Optimizers.Adam()(Value.parameters(), Config.ValueLearningRate, 0);
        _random = new Random(seed);
    }

    /// <summary>The hyperparameters.</summary>
    public ReinforceConfig Config { get; }

    /// <summary>The policy network: logits of π(· | s).</summary>
    public Mlp Policy { get; }

    /// <summary>The baseline: V(s), the expected return from s.</summary>
    public Mlp Value { get; }

    /// <summary>π(a | s) for every action.</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>Probabilities summing to 1.</returns>
    public double[] Probabilities(double[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probs = nn.functional.softmax(Policy.call(Row(observation)), 1).data<float>();   // (1, actions)
        var result = new double[_actionCount];
        for (var a = 0; a < result.Length; a++) result[a] = probs[a];
        return result;
    }

    /// <summary>An action drawn from π(· | s) with the agent's seeded generator.</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>The action.</returns>
    public int Act(double[] observation) => Sampling.Categorical(_random, Probabilities(observation));

    /// <summary>The most probable action (for evaluation).</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>The action.</returns>
    public int Greedy(double[] observation) => Sampling.ArgMax(Probabilities(observation));

    /// <summary>Discounted returns Gₜ = rₜ + γ Gₜ₊₁ of an episode, computed backwards from its end.</summary>
    /// <param name="rewards">The episode's rewards in order.</param>
    /// <param name="gamma">Discount factor.</param>
    /// <returns>One return per step.</returns>
    public static double[] DiscountedReturns(IReadOnlyList<double> rewards, double gamma)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        var returns = new double[rewards.Count];
        var g = 0.0;
        for (var t = rewards.Count - 1; t >= 0; t--) returns[t] = g = rewards[t] + gamma * g;
        return returns;
    }

    /// <summary>Plays one episode with the current policy, then updates the policy and the baseline from it.</summary>
    /// <param name="env">The environment.</param>
    /// <param name="seed">Seed of the episode's reset (<c>null</c> continues the generator).</param>
    /// <returns>The episode's return and length (its <see cref="EpisodeRecord.Step"/> is its length).</returns>
    public EpisodeRecord TrainEpisode(IEnvironment<double[]> env, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var states = new List<float>();
        var actions = new List<long>();
        var rewards = new List<double>();
        var obs = env.Reset(seed);
        while (true)
        {
            foreach (var v in obs) states.Add((float)v);
            var a = Act(obs);
            var t = env.Step(a);
            actions.Add(a);
            rewards.Add(t.Reward);
            if (t.Done) break;   // (a truncated episode's tail value is left out: a small bias at the 500-step limit)
            obs = t.Observation;
        }
        Update(states.ToArray(), actions.ToArray(), DiscountedReturns(rewards, Config.Gamma));
        return new EpisodeRecord(1, rewards.Count, rewards.Sum(), rewards.Count);
    }

    /// <summary>Trains for <paramref name="episodes"/> episodes; episode e is reset with seed <c>seed + e</c>.</summary>
    /// <param name="env">An environment with vector observations of this agent's size.</param>
    /// <param name="episodes">Episodes to play.</param>
    /// <param name="seed">Seed of the first episode.</param>
    /// <param name="showProgress">Draw the returns live on a <see cref="ProgressBoard"/>.</param>
    /// <returns>Every episode, with the environment steps taken so far.</returns>
    public List<EpisodeRecord> Train(IEnvironment<double[]> env, int episodes, int seed = 0, bool showProgress = true)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.ObservationSpace.IsDiscrete || env.ObservationSpace.Size != _observationSize || env.ActionCount != _actionCount)
            throw new ArgumentException($"This agent reads {_observationSize} numbers and has {_actionCount} actions; the environment has {env.ObservationSpace} and {env.ActionCount} actions.", nameof(env));
        var board = showProgress ? new ProgressBoard(episodes, "environment step", "REINFORCE: return per episode", unit: "episode", part: "step") : null;
        var records = new List<EpisodeRecord>(episodes);
        long steps = 0;
        for (var e = 0; e < episodes; e++)
        {
            var episode = TrainEpisode(env, seed + e);
            steps += episode.Length;
            records.Add(episode with { Episode = e + 1, Step = steps });
            board?.Batch(e + 1, (int)Math.Min(steps - 1, int.MaxValue - 1), LastLoss.Policy);   // status: episode e / total · step (cumulative) · policy loss
            board?.Draw("episode return", steps, episode.Return);
        }
        board?.Finish($"{episodes} episodes, {steps:N0} steps; last 20 episodes' mean return {records.TakeLast(20).Average(r => r.Return):F1}.");
        return records;
    }

    private void Update(float[] states, long[] actions, double[] returns)
    {
        using var scope = NewDisposeScope();
        var T = actions.Length;
        var S = OwnedTensors.From(states, T, _observationSize);              // (T, obs)
        var A = tensor(actions);                                             // (T)
        var G = OwnedTensors.From(returns.Select(g => (float)g).ToArray(), T);   // (T)
        var v = Value.call(S).squeeze(1);                                    // (T)
        var advantage = G - v.detach();
        if (Config.NormalizeAdvantages && T > 1) advantage = (advantage - advantage.mean()) / (advantage.std() + 1e-8);
        var logp = nn.functional.log_softmax(Policy.call(S), 1).gather(1, A.unsqueeze(1)).squeeze(1);   // (T)
        var policyLoss = -(logp * advantage).mean();
        var valueLoss = nn.functional.mse_loss(v, G);
        _policyOptimizer.zero_grad();
        policyLoss.backward();
        _policyOptimizer.step();
        _valueOptimizer.zero_grad();
        valueLoss.backward();
        _valueOptimizer.step();
        LastLoss = (StepContext.ReadLoss(policyLoss), StepContext.ReadLoss(valueLoss));
    }

    /// <summary>The policy and value losses of the last update.</summary>
    public (double Policy, double Value) LastLoss { get; private set; }

    private Tensor Row(double[] observation)
    {
        var x = new float[_observationSize];
        for (var i = 0; i < x.Length; i++) x[i] = (float)observation[i];
        return OwnedTensors.From(x, 1, _observationSize);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _policyOptimizer.Dispose();
        _valueOptimizer.Dispose();
        Policy.Dispose();
        Value.Dispose();
    }
}
