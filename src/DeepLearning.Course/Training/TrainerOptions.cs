using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Every knob of a training run in one record (nanoGPT's config habit): epochs, optimizer,
/// schedule, loss, metrics, clipping, weight decay, early stopping, checkpoints, display, device, step.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics); each later chapter sets a few more of its properties.</remarks>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of epochs (early stopping may end sooner).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Learning rate handed to <see cref="Optimizer"/>.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Weight decay (L2 penalty) handed to <see cref="Optimizer"/>.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Builds the optimizer; <c>null</c> means plain SGD (<see cref="Optimizers.Sgd"/>).</summary>
    public OptimizerFactory? Optimizer { get; init; }

    /// <summary>Optional learning-rate schedule built on the optimizer and stepped once per epoch,
    /// e.g. <c>opt =&gt; optim.lr_scheduler.StepLR(opt, 10, 0.5)</c>.</summary>
    public Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? Scheduler { get; init; }

    /// <summary>The loss <c>(yHat, y) =&gt; scalar</c> (see <see cref="Losses"/>); required unless <see cref="Step"/> computes its own.</summary>
    public Func<Tensor, Tensor, Tensor>? Loss { get; init; }

    /// <summary>Metrics reported per epoch for training and validation data (see <see cref="Metric"/>).</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>Clip the global gradient norm to this value before each optimizer step; <c>null</c> disables clipping.</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Stop after this many epochs without improvement of <see cref="Monitor"/>; <c>null</c> disables early stopping.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>The smallest change of <see cref="Monitor"/> that counts as an improvement.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>The history key that decides the best epoch and early stopping; <c>null</c> means
    /// <c>valid_loss</c> when there is validation data, else <c>train_loss</c>.</summary>
    public string? Monitor { get; init; }

    /// <summary>Whether <see cref="Monitor"/> should fall or rise; <c>null</c> infers it from the name (accuracy rises).</summary>
    public MonitorMode? Mode { get; init; }

    /// <summary>Save the best model here (atomically) whenever <see cref="Monitor"/> improves; <c>null</c> saves nothing.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>When a checkpoint is kept, load the best epoch's weights back into the model at the end of <c>Trainer.Fit</c>.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>Show the live progress board (curves + epoch bar in a notebook, one line per epoch on a console).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Use at most this many batches per epoch (a chapter's <c>demo</c> switch); <c>null</c> uses all.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>Device to train on; <c>null</c> uses <see cref="Course.Device"/>.</summary>
    public Device? Device { get; init; }

    /// <summary>A custom training step (sequence models, a per-batch schedule such as <see cref="BatchSchedules.OneCycle"/>,
    /// a GAN's round); <c>null</c> uses the standard forward, loss, backward, clip, step (<see cref="StepContext.Standard"/>).</summary>
    public TrainStep? Step { get; init; }

    /// <summary>Called after each epoch with its record (e.g. to keep a grid of samples, or a measurement per epoch).</summary>
    public Action<EpochRecord>? EpochEnd { get; init; }
}
