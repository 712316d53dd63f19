using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>Everything a <see cref="TrainStep"/> needs for one batch.</summary>
/// <remarks>Introduced in chapter 03 (CNN), with <see cref="TrainStep"/>.</remarks>
public sealed class StepContext
{
    private Tensor? _y;

    internal StepContext(nn.Module model, optim.Optimizer optimizer, TrainerOptions options)
    {
        Module = model;
        Optimizer = optimizer;
        Options = options;
        X = null!;
    }

    /// <summary>The model being trained.</summary>
    /// <exception cref="InvalidOperationException">The model's forward is not <c>Tensor → Tensor</c> (a VAE's returns three
    /// tensors): its step calls the model itself.</exception>
    public nn.Module<Tensor, Tensor> Model => Module as nn.Module<Tensor, Tensor> ?? throw new InvalidOperationException(
        $"The model being trained ({Module.GetType().Name}) does not map a tensor to a tensor; its step calls it itself (e.g. Vae.ElboStep).");

    /// <summary>The model being trained, whatever its forward's signature.</summary>
    internal nn.Module Module { get; }

    /// <summary>The optimizer built from <see cref="TrainerOptions.Optimizer"/>.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The run's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The batch's inputs, already on the training device.</summary>
    public Tensor X { get; internal set; }

    /// <summary>The batch's targets, already on the training device.</summary>
    /// <exception cref="InvalidOperationException">The batch is unlabelled (a features-only <see cref="Data.DataLoader"/>).</exception>
    public Tensor Y => _y ?? throw new InvalidOperationException(
        "This batch has no labels (it comes from a features-only DataLoader); a step on unlabelled data reads only X.");

    /// <summary>Whether the batch has targets (<see cref="Y"/>).</summary>
    public bool HasLabels => _y is not null;

    internal void SetBatch(Tensor x, Tensor? y, int batch)
    {
        X = x;
        _y = y;
        Batch = batch;
    }

    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; internal set; }

    /// <summary>0-based batch index within the epoch.</summary>
    public int Batch { get; internal set; }

    /// <summary>
    /// The standard step: zero gradients, forward, loss, NaN check, backward, clip, optimizer step.
    /// </summary>
    /// <returns>The loss and the model output (for metrics).</returns>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite.</exception>
    public StepResult Standard()
    {
        var loss = Options.Loss ?? throw new InvalidOperationException(
            "TrainerOptions.Loss is not set. Pass a loss such as Losses.CrossEntropy or Losses.Mse, or a custom Step.");
        Optimizer.zero_grad();
        var yHat = Model.call(X);
        var l = loss(yHat, Y);
        var value = ReadLoss(l); // float32 and float64 models alike
        CheckFinite(value);
        l.backward();
        ClipGradients();
        Optimizer.step();
        return new StepResult(value, yHat);
    }

    /// <summary>
    /// The loss as a double without extra tensor ops: reads the scalar straight from the tensor (no detach or
    /// dtype conversion, which cost two native calls and handles per step) and frees the native number it reads
    /// through at once (TorchSharp's <c>item</c> leaves it for the garbage collector; see <c>CourseAdam</c>).
    /// </summary>
    /// <param name="loss">A scalar loss tensor of any floating dtype.</param>
    /// <returns>Its value.</returns>
    public static double ReadLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Platform.NativeScalars.ToDouble(loss);
    }

    /// <summary>Clips the model's gradient norm to <see cref="TrainerOptions.ClipGradientNorm"/> when set.</summary>
    /// <param name="parameters">Parameters to clip; <c>null</c> means the model's.</param>
    public void ClipGradients(IEnumerable<TorchSharp.Modules.Parameter>? parameters = null)
    {
        if (Options.ClipGradientNorm is double maxNorm)
            nn.utils.clip_grad_norm_(parameters ?? Model.parameters(), maxNorm);
    }

    /// <summary>Throws the trainer's helpful exception when <paramref name="loss"/> is NaN or infinite.</summary>
    /// <param name="loss">A loss value.</param>
    /// <exception cref="TrainingDivergedException">The loss is not finite.</exception>
    public void CheckFinite(double loss)
    {
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(Epoch, Batch, loss, CurrentLearningRate(Optimizer));
    }

    internal static double CurrentLearningRate(optim.Optimizer optimizer) =>
        optimizer.ParamGroups.FirstOrDefault()?.LearningRate ?? double.NaN;
}
