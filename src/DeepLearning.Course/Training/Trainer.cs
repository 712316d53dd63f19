using System.Diagnostics;
using DeepLearning.Course.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// The one training loop every chapter uses (d2l's <c>Trainer</c>, fastai's <c>Learner</c>):
/// <c>Fit</c> trains any <c>Module&lt;Tensor, Tensor&gt;</c> on batches of
/// <c>(X, y)</c> tensors, reports loss and metrics per epoch on a live progress board, and
/// returns a <see cref="History"/>; <c>Evaluate</c> and <see cref="Predict(nn.Module{Tensor, Tensor}, IEnumerable{Tensor})"/>
/// reuse the same batching. Every batch runs in its own dispose scope, so native memory stays
/// flat across epochs.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics). Data is any <c>IEnumerable&lt;(Tensor X, Tensor y)&gt;</c>
/// that can be enumerated once per epoch (a lazy iterator reshuffles each time); tensors the
/// source creates while producing a batch are disposed with that batch, tensors it already owned
/// are left alone.
/// </remarks>
public sealed class Trainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">Run options; <c>null</c> uses the defaults.</param>
    public Trainer(TrainerOptions? options = null) => Options = options ?? new TrainerOptions();

    /// <summary>The run's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> for <see cref="TrainerOptions.Epochs"/> epochs (or until early
    /// stopping), validating after each epoch when <paramref name="validData"/> is given.
    /// </summary>
    /// <param name="model">The model; it is moved to the training device.</param>
    /// <param name="trainData">Training batches, enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <returns>Per-epoch losses and metrics.</returns>
    /// <exception cref="TrainingDivergedException">The training loss became NaN or infinite.</exception>
    public History Fit(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> trainData,
        IEnumerable<(Tensor X, Tensor y)>? validData = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainData);
        var o = Options;
        if (o.Loss is null && o.Step is null)
            throw new InvalidOperationException("TrainerOptions.Loss is not set. Pass a loss such as Losses.CrossEntropy or Losses.Mse, or a custom Step.");
        var device = o.Device ?? Course.Device;
        MoveTo(model, device);

        var monitor = o.Monitor ?? (validData is null ? "train_loss" : "valid_loss");
        var mode = o.Mode ?? InferMode(monitor);
        var history = new History(monitor, mode);
        using var optimizer = (o.Optimizer ?? Optimizers.Sgd())(model.parameters(), o.LearningRate, o.WeightDecay);
        var scheduler = o.Scheduler?.Invoke(optimizer);
        var board = o.ShowProgress ? new ProgressBoard(o.Epochs, "epoch") : null;
        var context = new StepContext(model, optimizer, o);
        var step = o.Step ?? (c => c.Standard());
        var sinceBest = 0;
        var savedBest = false;

        for (var epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var lr = StepContext.CurrentLearningRate(optimizer);
            model.train();
            context.Epoch = epoch;
            var values = new Dictionary<string, double>();
            var train = RunEpoch(trainData, device, board, epoch, (X, y, batch) =>
            {
                context.X = X;
                context.Y = y;
                context.Batch = batch;
                try
                {
                    var result = step(context);
                    context.CheckFinite(result.Loss);
                    return result;
                }
                catch (TrainingDivergedException diverged)
                {
                    board?.Finish(diverged.Message); // leave the board showing why training stopped
                    throw;
                }
            });
            train.WriteTo(values, "train", o.Metrics);
            if (validData is not null)
            {
                model.eval();
                using (no_grad())
                {
                    var valid = RunEpoch(validData, device, null, epoch, (X, y, _) => EvaluateBatch(model, X, y));
                    valid.WriteTo(values, "valid", o.Metrics);
                }
            }
            scheduler?.step();
            var record = new EpochRecord(epoch, values, clock.Elapsed, lr);
            history.Add(record);
            board?.EndEpoch(record);

            if (!values.TryGetValue(monitor, out var current))
                throw new InvalidOperationException($"Monitored key '{monitor}' is not among this run's keys: {string.Join(", ", values.Keys)}.");
            if (IsImprovement(current, history.BestValue, mode, history.BestEpoch == 0 ? 0 : o.EarlyStoppingMinDelta))
            {
                history.BestEpoch = epoch;
                history.BestValue = current;
                sinceBest = 0;
                if (o.CheckpointPath is not null)
                {
                    Checkpoint.Save(model, o.CheckpointPath);
                    savedBest = true;
                }
            }
            else
            {
                sinceBest++;
            }
            if (o.EarlyStoppingPatience is int patience && sinceBest >= patience && epoch < o.Epochs)
            {
                history.StoppedEarly = true;
                history.StopReason = $"Stopped early after epoch {epoch}: {monitor} did not improve for {patience} epochs.";
                break;
            }
        }
        if (history.StopReason.Length == 0) history.StopReason = $"Completed {history.Epochs.Count} epochs.";
        if (savedBest && o.RestoreBest && history.BestEpoch != history.Epochs.Count)
        {
            Checkpoint.Load(model, o.CheckpointPath!);
            history.StopReason += $" Restored the best weights (epoch {history.BestEpoch}).";
        }
        board?.Finish(history.StopReason);
        return history;
    }

    /// <summary>
    /// Trains on the library's data loaders (<see cref="Data.LabeledSplit.Batches"/>,
    /// <see cref="Data.DataLoader"/>): the same as the <c>(X, y)</c> overload.
    /// </summary>
    /// <param name="model">The model; it is moved to the training device.</param>
    /// <param name="trainData">Training batches, enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <returns>Per-epoch losses and metrics.</returns>
    public History Fit(nn.Module<Tensor, Tensor> model, IEnumerable<Data.Batch> trainData, IEnumerable<Data.Batch>? validData = null) =>
        Fit(model, Pairs(trainData), validData is null ? null : Pairs(validData));

    /// <summary>Mean loss and metrics on a library data loader: the same as the <c>(X, y)</c> overload.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="data">Batches from a <see cref="Data.DataLoader"/>.</param>
    /// <returns>Values keyed <c>loss</c> and by metric name.</returns>
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<Data.Batch> data) =>
        Evaluate(model, Pairs(data));

    private static IEnumerable<(Tensor X, Tensor y)> Pairs(IEnumerable<Data.Batch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return batches.Select(b => (b.Features, b.Labels));
    }

    /// <summary>Mean loss (when <see cref="TrainerOptions.Loss"/> is set) and metrics of <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="data">Batches of <c>(X, y)</c>.</param>
    /// <returns>Values keyed <c>loss</c> and by metric name (<c>accuracy</c>, ...).</returns>
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        var device = Options.Device ?? Course.Device;
        MoveTo(model, device);
        model.eval();
        var values = new Dictionary<string, double>();
        using (no_grad())
        {
            var totals = RunEpoch(data, device, null, 0, (X, y, _) => EvaluateBatch(model, X, y));
            totals.WriteTo(values, null, Options.Metrics);
        }
        if (Options.Loss is null) values.Remove("loss");
        return values;
    }

    /// <summary>Runs <paramref name="model"/> over batches of inputs and concatenates the outputs on the CPU.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="inputs">Input batches.</param>
    /// <returns>The outputs along dimension 0, on the CPU; the caller owns the tensor.</returns>
    public Tensor Predict(nn.Module<Tensor, Tensor> model, IEnumerable<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        var device = Options.Device ?? Course.Device;
        MoveTo(model, device);
        model.eval();
        using var outer = NewDisposeScope();
        var outputs = new List<Tensor>();
        using (no_grad())
        {
            foreach (var X in inputs)
            {
                using var scope = NewDisposeScope();
                outputs.Add(model.call(X.device == device ? X : X.to(device)).cpu().MoveToOuterDisposeScope());
            }
        }
        return cat(outputs, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Runs <paramref name="model"/> over <paramref name="X"/> in batches and returns the outputs on the CPU.</summary>
    /// <param name="model">The model.</param>
    /// <param name="X">All inputs, batched along dimension 0.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <returns>The outputs; the caller owns the tensor.</returns>
    public Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor X, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(X);
        return Predict(model, Chunks(X, batchSize));
    }

    private static IEnumerable<Tensor> Chunks(Tensor X, int batchSize)
    {
        for (long i = 0; i < X.shape[0]; i += batchSize)
            yield return X.narrow(0, i, Math.Min(batchSize, X.shape[0] - i));
    }

    private StepResult EvaluateBatch(nn.Module<Tensor, Tensor> model, Tensor X, Tensor y)
    {
        var yHat = model.call(X);
        var loss = Options.Loss is null ? double.NaN : StepContext.ReadLoss(Options.Loss(yHat, y));
        return new StepResult(loss, yHat);
    }

    private delegate StepResult BatchFunc(Tensor X, Tensor y, int batch);

    private EpochTotals RunEpoch(IEnumerable<(Tensor X, Tensor y)> data, Device device, ProgressBoard? board, int epoch, BatchFunc run)
    {
        var totals = new EpochTotals(Options.Metrics);
        // Tensors the source creates while producing batches land in this scope (freed at epoch end) ...
        using var epochScope = NewDisposeScope();
        using var batches = data.GetEnumerator();
        for (var batch = 0; Options.MaxBatchesPerEpoch is not int max || batch < max; batch++)
        {
            if (!batches.MoveNext()) break;
            // ... and the batch itself moves into a per-batch scope, freed after the step.
            using var scope = NewDisposeScope();
            var (X, y) = batches.Current;
            if (epochScope.Contains(X)) epochScope.MoveToOther(scope, X);
            if (epochScope.Contains(y)) epochScope.MoveToOther(scope, y);
            if (X.device != device) X = X.to(device);
            if (y.device != device) y = y.to(device);
            var result = run(X, y, batch);
            totals.Add(result, y, X.dim() == 0 ? 1 : X.shape[0]);
            board?.Batch(epoch, batch, result.Loss);
        }
        return totals;
    }

    /// <summary>
    /// Moves the model only when a parameter is elsewhere: <c>Module.to</c> also touches every
    /// gradient, creating tensor handles outside any dispose scope, so calling it needlessly on
    /// every Fit would leak a few handles per call.
    /// </summary>
    private static void MoveTo(nn.Module model, Device device)
    {
        if (model.parameters().Any(p => p.device_type != device.type || (device.index >= 0 && p.device_index != device.index)))
            model.to(device);
    }

    private static MonitorMode InferMode(string key) =>
        key.Contains("accuracy", StringComparison.OrdinalIgnoreCase) ? MonitorMode.Max : MonitorMode.Min;

    private static bool IsImprovement(double current, double best, MonitorMode mode, double minDelta)
    {
        if (double.IsNaN(current)) return false;
        if (double.IsNaN(best)) return true;
        return mode == MonitorMode.Min ? current < best - minDelta : current > best + minDelta;
    }

    private sealed class EpochTotals(IReadOnlyList<Metric> metrics)
    {
        private readonly double[] _sums = new double[metrics.Count];
        private readonly double[] _counts = new double[metrics.Count];
        private readonly Dictionary<string, (double Sum, double Count)> _extra = [];
        private double _loss;
        private double _rows;

        public void Add(StepResult result, Tensor y, long rows)
        {
            _loss += result.Loss * rows;
            _rows += rows;
            if (result.Output is not null)
            {
                for (var i = 0; i < metrics.Count; i++)
                {
                    var (sum, count) = metrics[i].Measure(result.Output, y);
                    _sums[i] += sum;
                    _counts[i] += count;
                }
            }
            foreach (var (key, value) in result.Values ?? new Dictionary<string, double>())
            {
                var (s, c) = _extra.GetValueOrDefault(key);
                _extra[key] = (s + value * rows, c + rows);
            }
        }

        public void WriteTo(Dictionary<string, double> values, string? prefix, IReadOnlyList<Metric> metricList)
        {
            string Key(string name) => prefix is null ? name : $"{prefix}_{name}";
            values[Key("loss")] = _rows == 0 ? double.NaN : _loss / _rows;
            for (var i = 0; i < metricList.Count; i++)
                if (_counts[i] > 0) values[Key(metricList[i].Name)] = metricList[i].Finish(_sums[i], _counts[i]);
            foreach (var (key, (s, c)) in _extra) values[Key(key)] = s / c;
        }
    }
}
