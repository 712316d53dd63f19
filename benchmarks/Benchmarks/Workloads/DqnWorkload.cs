using System.Text.Json.Nodes;
using DeepLearning.Course.Reinforcement;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 10's DQN gradient step (<see cref="DqnAgent.TrainStep"/>) with the chapter's default <see cref="DqnConfig"/>:
/// a minibatch of 64 transitions from the replay memory, targets r + γ max Q_target(s′, ·) without gradients, the Huber
/// loss on Q(s, a), backward, gradient clipping at norm 10, Adam 2.3e-3; Q-network 4-256-256-2. The memory holds 20,000
/// CartPole transitions of a random policy, the same ones on every side (the peer loads them).
/// </summary>
internal sealed class DqnWorkload : Workload
{
    private const int Transitions = 20_000;
    private readonly DqnAgent _agent;
    private readonly float[] _states, _next, _rewards, _discounts;
    private readonly long[] _actions;
    private readonly Random _handRandom = new(1);
    private optim.Optimizer? _handOptimizer;

    private DqnWorkload()
    {
        _agent = new DqnAgent(observationSize: 4, actionCount: 2, new DqnConfig(), seed: 0);
        var n = _agent.Buffer.ObservationSize;
        (_states, _next) = (new float[Transitions * n], new float[Transitions * n]);
        (_rewards, _discounts, _actions) = (new float[Transitions], new float[Transitions], new long[Transitions]);
        var env = new CartPole();
        var coin = new Random(0);
        var obs = env.Reset(0);
        for (int i = 0, episode = 1; i < Transitions; i++)
        {
            var action = coin.Next(2);
            var t = env.Step(action);
            _agent.Buffer.Add(obs, action, t.Reward, t.Observation, t.Terminated);
            for (var k = 0; k < n; k++) (_states[i * n + k], _next[i * n + k]) = ((float)obs[k], (float)t.Observation[k]);
            (_actions[i], _rewards[i], _discounts[i]) = (action, (float)t.Reward, t.Terminated ? 0f : (float)_agent.Config.Gamma);
            obs = t.Done ? env.Reset(episode++) : t.Observation;
        }
    }

    public static Workload Create(BenchOptions options) => new DqnWorkload();

    public override string Name => "dqn";

    public override string Title => $"DQN gradient step: Q-network 4-{string.Join("-", _agent.Config.HiddenLayers)}-2 and its target, Huber loss, clip {_agent.Config.MaxGradNorm}, " +
                                    $"Adam {_agent.Config.LearningRate}, batch {_agent.Config.BatchSize} from {Transitions:N0} CartPole transitions (ch10)";

    public override string Unit => "transitions/s";

    public override long ItemsPerStep => _agent.Config.BatchSize;

    public override int MaxSteps => 2_000;

    public override string PythonModule => "dqn";

    public override void WritePeerData(string directory)
    {
        var n = _agent.Buffer.ObservationSize;
        using var scope = NewDisposeScope();
        Npy.Write(Path.Combine(directory, "states.npy"), tensor(_states, [Transitions, n]));
        Npy.Write(Path.Combine(directory, "next_states.npy"), tensor(_next, [Transitions, n]));
        Npy.Write(Path.Combine(directory, "actions.npy"), tensor(_actions));
        Npy.Write(Path.Combine(directory, "rewards.npy"), tensor(_rewards));
        Npy.Write(Path.Combine(directory, "discounts.npy"), tensor(_discounts));
        WriteConfig(directory, PythonModule, new JsonObject
        {
            ["observation_size"] = n, ["actions"] = 2, ["hidden"] = new JsonArray(_agent.Config.HiddenLayers.Select(h => (JsonNode)h).ToArray()),
            ["lr"] = _agent.Config.LearningRate, ["batch_size"] = _agent.Config.BatchSize, ["clip"] = _agent.Config.MaxGradNorm,
        });
    }

    /// <summary><see cref="DqnAgent.TrainStep"/>, as the agent calls it while it learns.</summary>
    public override double LibrarySeconds(int steps) => Time(() =>
    {
        _agent.QNetwork.train();
        double sum = 0;
        for (var i = 0; i < steps; i++) sum += _agent.TrainStep();
        GC.KeepAlive(sum);
    });

    /// <summary>The same step written by hand on the agent's networks, with TorchSharp's stock Adam and its own sampling.</summary>
    public override double HandSeconds(int steps) => Time(() =>
    {
        var online = _agent.QNetwork;
        var parameters = online.parameters().ToArray();
        _handOptimizer ??= HandUsesCourseOptimizer
            ? DeepLearning.Course.Training.Optimizers.Adam()(parameters, _agent.Config.LearningRate, 0)
            : optim.Adam(parameters, _agent.Config.LearningRate);
        online.train();
        double sum = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var b = _agent.Buffer.Sample(_agent.Config.BatchSize, _handRandom, _agent.Config.Gamma);
            Tensor y;
            using (no_grad()) y = b.Rewards + b.Discounts * _agent.Target.call(b.NextStates).max(1).values;
            var q = online.call(b.States).gather(1, b.Actions.unsqueeze(1)).squeeze(1);
            var loss = nn.functional.smooth_l1_loss(q, y);
            _handOptimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, _agent.Config.MaxGradNorm);
            _handOptimizer.step();
            sum += loss.item<float>();
        }
        GC.KeepAlive(sum);
    });

    public override IReadOnlyList<long> LiveTensorsPerEpoch(int epochs, int batchesPerEpoch)
    {
        var counts = new List<long>();
        for (var e = 0; e < epochs; e++)
        {
            counts.Add(LiveTensors());
            for (var i = 0; i < batchesPerEpoch; i++) _agent.TrainStep();
        }
        counts.Add(LiveTensors());
        return counts;
    }

    public override void Dispose()
    {
        _handOptimizer?.Dispose();
        _agent.Dispose();
    }
}
