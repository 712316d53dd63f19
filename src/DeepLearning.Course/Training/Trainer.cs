using System.Diagnostics;
using DeepLearning.Course.Data;
using DeepLearning.Course.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// The one training loop every chapter uses (d2l's <c>Trainer</c>, fastai's <c>Learner</c>):
/// <c>Fit</c> trains any <c>Module&lt;Tensor, Tensor&gt;</c> on batches (a <see cref="DataLoader"/>,
/// or any sequence of <see cref="Batch"/> or <c>(X, y)</c> pairs), reports loss and metrics per epoch on a live
/// progress board, and returns a <see cref="History"/>; <c>Evaluate</c> and <c>Predict</c> reuse the same
/// batching. Every batch runs in its own dispose scope, so native memory stays flat across epochs. What
/// happens to one batch is pluggable (<see cref="TrainerOptions.Step"/>): the standard step, a custom one,
/// a per-batch schedule (<see cref="BatchSchedules.OneCycle"/>), or a GAN's round (<see cref="GanTrainer"/>
/// configures this same loop).
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics). Data is enumerated once per epoch (a lazy iterator reshuffles
/// each time); tensors the source creates while producing a batch are disposed with that batch,
/// tensors it already owned (a <see cref="DataLoader"/>'s batches) are left to it.
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
    /// <param name="trainData">Training batches (e.g. a <see cref="DataLoader"/>), enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <returns>Per-epoch losses and metrics.</returns>
    /// <exception cref="TrainingDivergedException">The training loss became NaN or infinite.</exception>
    public History Fit(nn.Module<Tensor, Tensor> model, IEnumerable<Batch> trainData, IEnumerable<Batch>? validData = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainData);
        var o = Options;
        if (o.Loss is null && o.Step is null)
            throw new InvalidOperationException("TrainerOptions.Loss is not set. Pass a loss such as Losses.CrossEntropy or Losses.Mse, or a custom Step.");
        MoveTo(model, Device);
        var monitor = o.Monitor ?? (validData is null ? "train_loss" : "valid_loss");
        var history = new History(monitor, o.Mode ?? InferMode(monitor));
        using var optimizer = (o.Optimizer ?? Optimizers.Sgd())(model.parameters(), o.LearningRate, o.WeightDecay);
        var scheduler = o.Scheduler?.Invoke(optimizer);
        return Run(new StepContext(model, optimizer, o), [model], trainData, validData, scheduler, history, LoopShape.Supervised);
    }

    /// <summary>
    /// Trains a model whose forward is not <c>Tensor → Tensor</c> (a <see cref="Models.Vae"/> returns logits, mean and
    /// log-variance) with <see cref="TrainerOptions.Step"/>, which calls the model itself (e.g. <c>Step = vae.ElboStep</c>):
    /// the same loop, board and history as the other overloads, without validation.
    /// </summary>
    /// <param name="model">The model; its parameters are optimized; it is moved to the training device.</param>
    /// <param name="trainData">Training batches (labelled or not), enumerated once per epoch.</param>
    /// <returns>Per-epoch losses and the values the step reports.</returns>
    /// <exception cref="InvalidOperationException"><see cref="TrainerOptions.Step"/> is not set.</exception>
    /// <exception cref="TrainingDivergedException">The training loss became NaN or infinite.</exception>
    public History Fit(nn.Module model, IEnumerable<Batch> trainData)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainData);
        if (model is nn.Module<Tensor, Tensor> plain) return Fit(plain, trainData, null);
        var o = Options;
        if (o.Step is null)
            throw new InvalidOperationException($"{model.GetType().Name} does not map a tensor to a tensor, so the trainer cannot call it with a loss: pass its step (e.g. Step = vae.ElboStep).");
        MoveTo(model, Device);
        var history = new History(o.Monitor ?? "train_loss", o.Mode ?? InferMode(o.Monitor ?? "train_loss"));
        using var optimizer = (o.Optimizer ?? Optimizers.Sgd())(model.parameters(), o.LearningRate, o.WeightDecay);
        var scheduler = o.Scheduler?.Invoke(optimizer);
        return Run(new StepContext(model, optimizer, o), [model], trainData, null, scheduler, history, LoopShape.Supervised);
    }

    /// <summary>Trains on <c>(X, y)</c> pairs (e.g. one full batch <c>new[] { (X, y) }</c>): the same as the <see cref="Batch"/> overload.</summary>
    /// <param name="model">The model; it is moved to the training device.</param>
    /// <param name="trainData">Training batches, enumerated once per epoch.</param>
    /// <param name="validData">Validation batches, or <c>null</c>.</param>
    /// <returns>Per-epoch losses and metrics.</returns>
    /// <exception cref="TrainingDivergedException">The training loss became NaN or infinite.</exception>
    public History Fit(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> trainData,
        IEnumerable<(Tensor X, Tensor y)>? validData = null) =>
        Fit(model, AsBatches(trainData), validData is null ? null : AsBatches(validData));

    /// <summary>Mean loss and metrics on <c>(X, y)</c> pairs: the same as the <see cref="Batch"/> overload.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="data">Batches of <c>(X, y)</c>.</param>
    /// <returns>Values keyed <c>loss</c> and by metric name.</returns>
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data) =>
        Evaluate(model, AsBatches(data));

    private static IEnumerable<Batch> AsBatches(IEnumerable<(Tensor X, Tensor y)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return pairs.Select(p => new Batch(p.X, p.y));
    }

    /// <summary>
    /// The loop itself, once for every trainer: per epoch the models go to train mode, each batch runs
    /// <see cref="TrainerOptions.Step"/> in its own dispose scope, the board and the history get the epoch's
    /// means, then validation, schedule, best epoch, checkpoint, <see cref="TrainerOptions.EpochEnd"/> and early stopping.
    /// </summary>
    internal History Run(StepContext context, IReadOnlyList<nn.Module> models, IEnumerable<Batch> trainData,
        IEnumerable<Batch>? validData, optim.lr_scheduler.LRScheduler? scheduler, History history, LoopShape shape)
    {
        var o = Options;
        var device = Device;
        var model = context.Module;
        var board = o.ShowProgress ? new ProgressBoard(o.Epochs, "epoch", shape.Title) : null;
        var step = o.Step ?? (c => c.Standard());
        var monitor = history.Monitor;
        var sinceBest = 0;
        var savedBest = false;

        for (var epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var lr = StepContext.CurrentLearningRate(context.Optimizer);
            foreach (var m in models) m.train();
            context.Epoch = epoch;
            var values = new Dictionary<string, double>();
            var train = RunEpoch(trainData, device, board, epoch, shape, (X, y, batch) =>
            {
                context.SetBatch(X, y, batch);
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
            train.WriteTo(values, shape);
            if (validData is not null)
            {
                model.eval();
                using (no_grad())
                {
                    var valid = RunEpoch(validData, device, null, epoch, LoopShape.Supervised, (X, y, _) => EvaluateBatch(context.Model, X, y));
                    valid.WriteTo(values, LoopShape.Validation);
                }
            }
            scheduler?.step();
            var record = new EpochRecord(epoch, values, clock.Elapsed, lr);
            history.Add(record);
            board?.EndEpoch(record);

            if (!values.TryGetValue(monitor, out var current))
                throw new InvalidOperationException($"Monitored key '{monitor}' is not among this run's keys: {string.Join(", ", values.Keys)}.");
            if (!shape.TrackBest || IsImprovement(current, history.BestValue, history.Mode, history.BestEpoch == 0 ? 0 : o.EarlyStoppingMinDelta))
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
            o.EpochEnd?.Invoke(record);
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

    /// <summary>Mean loss (when <see cref="TrainerOptions.Loss"/> is set) and metrics of <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="data">Labelled batches (e.g. a <see cref="DataLoader"/>).</param>
    /// <returns>Values keyed <c>loss</c> and by metric name (<c>accuracy</c>, ...).</returns>
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<Batch> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var device = Device;
        MoveTo(model, device);
        model.eval();
        var values = new Dictionary<string, double>();
        using (no_grad())
        {
            var totals = RunEpoch(data, device, null, 0, LoopShape.Supervised, (X, y, _) => EvaluateBatch(model, X, y));
            totals.WriteTo(values, LoopShape.Evaluation);
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
        ArgumentNullException.ThrowIfNull(inputs);
        var device = Device;
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

    /// <summary>Runs <paramref name="model"/> over a loader's features (labels, if any, are ignored) and concatenates the outputs on the CPU.</summary>
    /// <param name="model">The model (put in eval mode; gradients off).</param>
    /// <param name="data">Batches, labelled or not (e.g. <c>new DataLoader(X, 256)</c>).</param>
    /// <returns>The outputs along dimension 0, on the CPU; the caller owns the tensor.</returns>
    public Tensor Predict(nn.Module<Tensor, Tensor> model, IEnumerable<Batch> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Predict(model, data.Select(b => b.Features));
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

    private Device Device => Options.Device ?? Course.Device;

    private StepResult EvaluateBatch(nn.Module<Tensor, Tensor> model, Tensor X, Tensor? y)
    {
        var yHat = model.call(X);
        var loss = Options.Loss is null ? double.NaN
            : StepContext.ReadLoss(Options.Loss(yHat, y ?? throw new InvalidOperationException("Evaluating a loss needs labelled batches.")));
        return new StepResult(loss, yHat);
    }

    private delegate StepResult BatchFunc(Tensor X, Tensor? y, int batch);

    private EpochTotals RunEpoch(IEnumerable<Batch> data, Device device, ProgressBoard? board, int epoch, LoopShape shape, BatchFunc run)
    {
        var totals = new EpochTotals(Options.Metrics, shape.WeightByRows);
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
            if (y is not null && epochScope.Contains(y)) epochScope.MoveToOther(scope, y);
            if (X.device != device) X = X.to(device);
            if (y is not null && y.device != device) y = y.to(device);
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

    private sealed class EpochTotals(IReadOnlyList<Metric> metrics, bool weightByRows)
    {
        private readonly double[] _sums = new double[metrics.Count];
        private readonly double[] _counts = new double[metrics.Count];
        private readonly Dictionary<string, (double Sum, double Count)> _extra = [];
        private double _loss;
        private double _weight;

        public void Add(StepResult result, Tensor? y, long rows)
        {
            double weight = weightByRows ? rows : 1;
            _loss += result.Loss * weight;
            _weight += weight;
            if (result.Output is not null && y is not null)
            {
                for (var i = 0; i < metrics.Count; i++)
                {
                    var (sum, count) = metrics[i].Measure(result.Output, y);
                    _sums[i] += sum;
                    _counts[i] += count;
                }
            }
            if (result.Values is null) return;
            foreach (var (key, value) in result.Values)
            {
                var (s, c) = _extra.GetValueOrDefault(key);
                _extra[key] = (s + value * weight, c + weight);
            }
        }

        public void WriteTo(Dictionary<string, double> values, LoopShape shape)
        {
            string Key(string name) => shape.Prefix is null ? name : $"{shape.Prefix}_{name}";
            values[Key(shape.LossName)] = _weight == 0 ? double.NaN : _loss / _weight;
            foreach (var name in shape.Keys)
                values[Key(name)] = _extra.TryGetValue(name, out var e) ? e.Sum / e.Count : double.NaN;
            for (var i = 0; i < metrics.Count; i++)
                if (_counts[i] > 0) values[Key(metrics[i].Name)] = metrics[i].Finish(_sums[i], _counts[i]);
            foreach (var (key, (s, c)) in _extra) values[Key(key)] = s / c;
        }
    }
}
