
namespace DeepLearning.Course.Training;

/// <summary>
/// One optimization step on one batch. The trainer opens a dispose scope around it, moves the
/// batch to the device, and records what it returns; the step does the forward pass, backward
/// pass and optimizer update. GANs and sequence models pass their own step instead of pasting a loop.
/// </summary>
/// <param name="context">The batch, model, optimizer and helpers.</param>
/// <returns>The batch's loss (and optionally its output and other named values).</returns>
/// <remarks>Introduced in chapter 03 (CNN), where transfer learning keeps frozen features in evaluation mode; used for RNNs in chapter 04 and GANs in chapter 07.</remarks>
public delegate StepResult TrainStep(StepContext context);
