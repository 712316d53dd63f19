using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using DeepLearning.Course.Visualization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015): Q-learning with an <see cref="Mlp"/> for Q(s, ·), made stable by two devices —
/// a <see cref="ReplayBuffer"/> of past transitions sampled at random, and a target network, a periodically synced copy
/// of the online network that computes the targets r + γ max_a′ Q_target(s′, a′), so the target does not move with
/// every update. Acts ε-greedily with ε annealed linearly (<see cref="EpsilonSchedule"/>); the loss is the Huber loss
/// (the paper's error clipping), optimized by Adam.
/// </summary>
/// <remarks>
/// Introduced in chapter 10 (reinforcement learning), on <see cref="CartPole"/>. Every gradient step and every action
/// runs in its own dispose scope, so native memory stays flat over hundreds of thousands of steps; the same seed gives
/// the same weights, actions and returns.
/// </remarks>
public sealed class DqnAgent : IDisposable
{
    private readonly optim.Optimizer _optimizer;
    private readonly Parameter[] _parameters;
    private readonly Parameter[] _targetParameters;
    private readonly Random _random;
    private readonly int _observationSize;
    private readonly int _actionCount;

    /// <summary>Creates the networks (seeded), the optimizer and an empty memory.</summary>
    /// <param name="observationSize">Numbers per observation.</param>
    /// <param name="actionCount">Discrete actions.</param>
    /// <param name="config">Hyperparameters; <c>null</c> for the defaults.</param>
    /// <param name="seed">Seeds the initial weights (torch's generator, as <see cref="Course.Seed"/>), exploration and replay sampling.</param>
    public DqnAgent(int observationSize, int actionCount, DqnConfig? config = null, int seed = 0)
    {
        Config = config ?? new DqnConfig();
        _observationSize = observationSize;
        _actionCount = actionCount;
        manual_seed(seed);
        var shape = new MlpConfig(observationSize, Config.HiddenLayers, actionCount);
        QNetwork = new Mlp(shape);
        Target = new Mlp(shape);
        _parameters = QNetwork.parameters().ToArray();
        _targetParameters = Target.parameters().ToArray();
        foreach (var p in _targetParameters) p.requires_grad = false;
        SyncTarget();
        Target.eval();
        _optimizer = Optimizers.Adam()(_parameters, Config.LearningRate, 0);
        Buffer = new ReplayBuffer(Config.BufferSize, observationSize);
        Schedule = new EpsilonSchedule(Config.EpsilonStart, Config.EpsilonEnd, Config.ExplorationSteps);
        _random = new Random(seed);
    }

    /// <summary>The hyperparameters.</summary>
    public DqnConfig Config { get; }

    /// <summary>The online network Q(s, ·; θ), the one that acts and learns.</summary>
    public Mlp QNetwork { get; }

    /// <summary>The target network Q(s, ·; θ⁻), a copy of <see cref="QNetwork"/> refreshed by <see cref="SyncTarget"/>.</summary>
    public Mlp Target { get; }

    /// <summary>The replay memory.</summary>
    public ReplayBuffer Buffer { get; }

    /// <summary>The exploration schedule over environment steps.</summary>
    public EpsilonSchedule Schedule { get; }

    /// <summary>Gradient steps taken.</summary>
    public long GradientStepsDone { get; private set; }

    /// <summary>Times the target network was synced (the first, in the constructor, included).</summary>
    public int TargetSyncs { get; private set; }

    /// <summary>The greedy evaluations made while training.</summary>
    public List<EvaluationRecord> Evaluations { get; } = [];

    /// <summary>The evaluation whose weights <see cref="Train"/> kept (with <see cref="DqnConfig.KeepBest"/>), or null.</summary>
    public EvaluationRecord? Kept { get; private set; }

    /// <summary>Q(s, a) for every action, from the online network.</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>One value per action.</returns>
    public double[] QValues(double[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = new float[_observationSize];
        for (var i = 0; i < x.Length; i++) x[i] = (float)observation[i];
        var q = QNetwork.call(OwnedTensors.From(x, 1, _observationSize));   // (1, actions)
        var values = q.data<float>();
        var result = new double[_actionCount];
        for (var a = 0; a < result.Length; a++) result[a] = values[a];
        return result;
    }

    /// <summary>The greedy action argmax_a Q(s, a) (ties to the lowest action).</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>The action.</returns>
    public int Greedy(double[] observation) => Sampling.ArgMax(QValues(observation));

    /// <summary>The ε-greedy action.</summary>
    /// <param name="observation">The observation.</param>
    /// <param name="epsilon">Exploration probability.</param>
    /// <returns>A random action with probability ε, else the greedy one.</returns>
    public int Act(double[] observation, double epsilon) =>
        _random.NextDouble() < epsilon ? _random.Next(_actionCount) : Greedy(observation);

    /// <summary>Copies the online network's weights into the target network.</summary>
    public void SyncTarget()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++) _targetParameters[i].copy_(_parameters[i]);
        TargetSyncs++;
    }

    /// <summary>
    /// One gradient step: a minibatch from the memory, targets y = r + γ max_a′ Q_target(s′, a′) (just r where the
    /// step terminated), the Huber loss between Q(s, a) and y, backward, clip, Adam.
    /// </summary>
    /// <returns>The minibatch's loss.</returns>
    public double TrainStep()
    {
        using var scope = NewDisposeScope();
        var b = Buffer.Sample(Config.BatchSize, _random, Config.Gamma);
        Tensor y;
        using (no_grad())
        {
            var nextQ = Target.call(b.NextStates).max(1).values;          // (B)
            y = b.Rewards + b.Discounts * nextQ;                          // (B)
        }
        var q = QNetwork.call(b.States).gather(1, b.Actions.unsqueeze(1)).squeeze(1);   // (B, actions) -> (B)
        var loss = nn.functional.smooth_l1_loss(q, y);                   // Huber with δ = 1
        _optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(_parameters, Config.MaxGradNorm);
        _optimizer.step();
        GradientStepsDone++;
        return StepContext.ReadLoss(loss);
    }

    /// <summary>
    /// Learns for <paramref name="steps"/> environment steps: act ε-greedily, remember each transition, sync the target
    /// network every <see cref="DqnConfig.TargetSyncEvery"/> steps, and from <see cref="DqnConfig.LearningStarts"/> on take
    /// <see cref="DqnConfig.GradientSteps"/> gradient steps every <see cref="DqnConfig.TrainEvery"/> steps. Training
    /// episode e is reset with seed <c>seed + e</c>; every <see cref="DqnConfig.EvalEvery"/> steps (at an episode end) the
    /// greedy policy plays <see cref="DqnConfig.EvalEpisodes"/> episodes on the validation seeds.
    /// </summary>
    /// <param name="env">An environment with vector observations of this agent's size.</param>
    /// <param name="steps">Environment steps to train for.</param>
    /// <param name="seed">Seed of the first training episode.</param>
    /// <param name="showProgress">Draw episode returns and evaluations live on a <see cref="ProgressBoard"/>.</param>
    /// <returns>Every finished training episode.</returns>
    public List<EpisodeRecord> Train(IEnvironment<double[]> env, int steps, int seed = 0, bool showProgress = true)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.ObservationSpace.IsDiscrete || env.ObservationSpace.Size != _observationSize || env.ActionCount != _actionCount)
            throw new ArgumentException($"This agent reads {_observationSize} numbers and has {_actionCount} actions; the environment has {env.ObservationSpace} and {env.ActionCount} actions.", nameof(env));
        var board = showProgress ? new ProgressBoard(steps, "environment step", "DQN: return per episode", unit: "step", part: "episode") : null;
        var episodes = new List<EpisodeRecord>();
        var best = double.NegativeInfinity;
        Tensor[]? bestWeights = null;
        var nextEval = Config.EvalEvery;
        var loss = double.NaN;
        var obs = env.Reset(seed);
        var (episodeReturn, length) = (0.0, 0);
        for (var step = 1; step <= steps; step++)
        {
            var action = Act(obs, Schedule.Value(step - 1));
            var t = env.Step(action);
            Buffer.Add(obs, action, t.Reward, t.Observation, t.Terminated);
            episodeReturn += t.Reward;
            length++;
            if (step % Config.TargetSyncEvery == 0) SyncTarget();
            if (step >= Config.LearningStarts && step % Config.TrainEvery == 0)
                for (var g = 0; g < Config.GradientSteps; g++) loss = TrainStep();
            board?.Batch(step, episodes.Count, loss);
            if (!t.Done)
            {
                obs = t.Observation;
                continue;
            }
            var record = new EpisodeRecord(episodes.Count + 1, step, episodeReturn, length);
            episodes.Add(record);
            board?.Draw("episode return", step, episodeReturn);
            if (Config.EvalEvery > 0 && (step >= nextEval || step == steps))
            {
                nextEval += Config.EvalEvery;
                Evaluate(env, step, board, ref best, ref bestWeights);
            }
            obs = env.Reset(seed + episodes.Count);
            (episodeReturn, length) = (0.0, 0);
        }
        if (Config.EvalEvery > 0 && (Evaluations.Count == 0 || Evaluations[^1].Step != steps)) Evaluate(env, steps, board, ref best, ref bestWeights);
        if (Config.KeepBest && bestWeights is not null)
        {
            using (no_grad())
                for (var i = 0; i < _parameters.Length; i++) _parameters[i].copy_(bestWeights[i]);
            SyncTarget();
        }
        if (bestWeights is not null) foreach (var w in bestWeights) w.Dispose();
        board?.Finish($"{episodes.Count} episodes in {steps:N0} steps" + (Kept is null ? "." : $"; kept the weights of step {Kept.Step:N0} (greedy mean return {Kept.MeanReturn:F1} on the validation seeds)."));
        return episodes;
    }

    private void Evaluate(IEnvironment<double[]> env, long step, ProgressBoard? board, ref double best, ref Tensor[]? bestWeights)
    {
        var mean = Rollout.Evaluate(env, Greedy, Enumerable.Range(Config.EvalSeed, Config.EvalEpisodes)).Average();
        var record = new EvaluationRecord(step, mean);
        Evaluations.Add(record);
        board?.Draw("greedy evaluation (validation seeds)", step, mean);
        if (!Config.KeepBest || mean < best) return;
        best = mean;
        Kept = record;
        if (bestWeights is not null) foreach (var w in bestWeights) w.Dispose();
        using (no_grad()) bestWeights = _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _optimizer.Dispose();
        QNetwork.Dispose();
        Target.Dispose();
    }
}
