using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>What one training step reports.</summary>
/// <param name="Loss">The batch's mean loss (checked for NaN/inf by the trainer).</param>
/// <param name="Output">The model output, when metrics should be measured on it.</param>
/// <param name="Values">Other named per-batch values (e.g. a GAN's <c>d_loss</c>), averaged per epoch into <c>train_NAME</c>.</param>
/// <remarks>Introduced in chapter 03 (CNN), with <see cref="TrainStep"/>.</remarks>
public sealed record StepResult(double Loss, Tensor? Output = null, IReadOnlyDictionary<string, double>? Values = null);
