using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Training;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>What a supervised reference model is: data, model, the chapter's trainer options, and the hand-written equivalents.</summary>
internal sealed record SupervisedSpec
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    public string Unit { get; init; } = "examples/s";

    /// <summary>Items per example (1, or the sequence length for tokens/s).</summary>
    public long ItemsPerExample { get; init; } = 1;

    public required Tensor X { get; init; }

    public required Tensor Y { get; init; }

    public required int BatchSize { get; init; }

    public required Func<nn.Module<Tensor, Tensor>> Model { get; init; }

    /// <summary>The chapter's trainer options (optimizer, learning rate, loss, metrics, clipping).</summary>
    public required TrainerOptions Options { get; init; }

    /// <summary>The optimizer as a TorchSharp user would write it.</summary>
    public required Func<IEnumerable<Parameter>, optim.Optimizer> HandOptimizer { get; init; }

    /// <summary>The loss as a TorchSharp user would write it.</summary>
    public required Func<Tensor, Tensor, Tensor> HandLoss { get; init; }

    /// <summary>The chapter's per-batch metric, hand-written (null: none).</summary>
    public Func<Tensor, Tensor, double>? HandMetric { get; init; }

    public double? ForwardFlopsPerStep { get; init; }

    public string? FlopsNote { get; init; }

    public required string PythonModule { get; init; }

    /// <summary>The peer's configuration; batch_size, lr and optimizer are added from the fields above.</summary>
    public required JsonObject PythonConfig { get; init; }

    /// <summary>The optimizer's name for the peer (adam, adamw, sgd).</summary>
    public required string OptimizerName { get; init; }

    /// <summary>Shuffle the rows each pass (false: batches in X's order, as a full-batch graph step needs).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>More arrays the peer needs besides X and y (e.g. a graph), written as NAME.npy.</summary>
    public IReadOnlyDictionary<string, Tensor> PeerArrays { get; init; } = new Dictionary<string, Tensor>();

    /// <summary>A per-batch one-cycle schedule (<c>BatchSchedules.OneCycle</c>) over one pass of the data, as chapter 05 trains.</summary>
    public bool OneCycle { get; init; }
}

/// <summary>A model trained with <c>Trainer</c> on (X, y) batches: MLP, CNN, char LSTM, dot product, GPT, GCN.</summary>
internal sealed class SupervisedWorkload : Workload
{
    private readonly SupervisedSpec _spec;
    // One model instance trained by both loops. With two identical instances the comparison measured where
    // each one's weights and optimizer state landed in memory, not the loop: the dot product's "overhead"
    // ranged from -8% to +16% between processes with the same code, and from -0.3% to +2.9% with one instance.
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly DataLoader _loader;
    private readonly Trainer _trainer;
    private int _handSeed;

    public SupervisedWorkload(SupervisedSpec spec)
    {
        _spec = spec;
        manual_seed(0);
        _model = spec.Model();
        _loader = new DataLoader(spec.X, spec.Y, spec.BatchSize, shuffle: spec.Shuffle, seed: 0);
        var options = spec.Options with { Epochs = 1, ShowProgress = false, Device = CPU };
        if (spec.OneCycle) options = options with { Step = BatchSchedules.OneCycle(spec.Options.LearningRate, MaxSteps) };
        _trainer = new Trainer(options);
    }

    public override string Name => _spec.Name;

    public override string Title => _spec.Title;

    public override string Unit => _spec.Unit;

    public override long ItemsPerStep => _spec.BatchSize * _spec.ItemsPerExample;

    public override int MaxSteps => (int)(_spec.X.shape[0] / _spec.BatchSize);

    public override double? ForwardFlopsPerStep => _spec.ForwardFlopsPerStep;

    public override string? FlopsNote => _spec.FlopsNote;

    public override string PythonModule => _spec.PythonModule;

    public override void WritePeerData(string directory)
    {
        Npy.Write(Path.Combine(directory, "X.npy"), _spec.X);
        Npy.Write(Path.Combine(directory, "y.npy"), _spec.Y);
        foreach (var (name, array) in _spec.PeerArrays) Npy.Write(Path.Combine(directory, name + ".npy"), array);
        var config = (JsonObject)_spec.PythonConfig.DeepClone();
        config["batch_size"] = _spec.BatchSize;
        config["lr"] = _spec.Options.LearningRate;
        config["weight_decay"] = _spec.Options.WeightDecay;
        config["optimizer"] = _spec.OptimizerName;
        if (_spec.Options.ClipGradientNorm is double clip) config["clip"] = clip;
        if (_spec.OneCycle) config["one_cycle_steps"] = MaxSteps;
        WriteConfig(directory, _spec.PythonModule, config);
    }

    /// <summary>One <c>Trainer.Fit</c> epoch capped at <paramref name="steps"/> batches, exactly as a chapter calls it (minus the progress board).</summary>
    public override double LibrarySeconds(int steps)
    {
        var trainer = new Trainer(_trainer.Options with { MaxBatchesPerEpoch = steps });
        return Time(() => trainer.Fit(_model, _loader));
    }

    /// <summary>
    /// The same work per step written by hand: a permutation, index_select per batch, zero_grad,
    /// forward, loss, loss.item(), backward, clip, step, the chapter's metric; a dispose scope per batch.
    /// </summary>
    public override double HandSeconds(int steps)
    {
        var s = _spec;
        var clip = s.Options.ClipGradientNorm;
        return Time(() =>
        {
            using var optimizer = HandUsesCourseOptimizer
                ? (s.Options.Optimizer ?? Optimizers.Sgd())(_model.parameters(), s.Options.LearningRate, s.Options.WeightDecay)
                : s.HandOptimizer(_model.parameters());
            var schedule = s.OneCycle ? optim.lr_scheduler.OneCycleLR(optimizer, s.Options.LearningRate, MaxSteps) : null;
            _model.train();
            using var epoch = NewDisposeScope();
            var order = s.Shuffle ? randperm(s.X.shape[0], generator: new Generator((ulong)++_handSeed)) : arange(s.X.shape[0]);
            double lossSum = 0, metricSum = 0;
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                var rows = order.narrow(0, (long)i * s.BatchSize, s.BatchSize);
                var X = s.X.index_select(0, rows);
                var y = s.Y.index_select(0, rows);
                optimizer.zero_grad();
                var yHat = _model.call(X);
                var loss = s.HandLoss(yHat, y);
                lossSum += loss.item<float>();
                loss.backward();
                if (clip is double max) nn.utils.clip_grad_norm_(_model.parameters(), max);
                optimizer.step();
                if (schedule is not null && i + 1 < MaxSteps) schedule.step();
                if (s.HandMetric is { } metric) metricSum += metric(yHat, y);
            }
            GC.KeepAlive(lossSum + metricSum);
        });
    }

    public override IReadOnlyList<long> LiveTensorsPerEpoch(int epochs, int batchesPerEpoch)
    {
        var counts = new List<long>();
        var inner = _trainer.Options.Step;
        var trainer = new Trainer(_trainer.Options with
        {
            Epochs = epochs,
            MaxBatchesPerEpoch = batchesPerEpoch,
            Step = c =>
            {
                if (c.Batch == 0) counts.Add(LiveTensors());
                return inner is null ? c.Standard() : inner(c);
            },
        });
        trainer.Fit(_model, _loader);
        counts.Add(LiveTensors()); // after Fit returns
        return counts;
    }

    public override void Dispose()
    {
        _model.Dispose();
    }
}
