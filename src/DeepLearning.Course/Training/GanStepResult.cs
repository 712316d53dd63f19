
namespace DeepLearning.Course.Training;

/// <summary>What one <see cref="GanTrainer.Step"/> reports.</summary>
/// <param name="LossD">The discriminator's (critic's) loss on the batch.</param>
/// <param name="LossG">The generator's loss, or <c>null</c> when it did not step.</param>
/// <param name="DOfX">Mean D output on the real batch (probability, or critic score for WGAN-GP).</param>
/// <param name="DOfGz">Mean D output on the generated batch.</param>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public sealed record GanStepResult(double LossD, double? LossG, double DOfX, double DOfGz);
