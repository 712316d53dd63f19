using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Builds an optimizer for a model's parameters from the trainer's learning rate and weight decay.
/// </summary>
/// <param name="parameters">The parameters to optimize.</param>
/// <param name="learningRate">From <see cref="TrainerOptions.LearningRate"/>.</param>
/// <param name="weightDecay">From <see cref="TrainerOptions.WeightDecay"/>.</param>
/// <returns>A TorchSharp optimizer.</returns>
/// <remarks>Introduced in chapter 01 (basics), where SGD is written by hand first.</remarks>
public delegate optim.Optimizer OptimizerFactory(IEnumerable<Parameter> parameters, double learningRate, double weightDecay);

/// <summary>The optimizers chapters use, as <see cref="OptimizerFactory"/> presets.</summary>
/// <remarks>
/// Introduced in chapter 01 (SGD); Adam and AdamW in chapter 03 (CNN) and 06 (transformers). Each builds the
/// course's drop-in subclass of the TorchSharp optimizer (<see cref="CourseSgd"/>, <see cref="CourseAdam"/>,
/// <see cref="CourseAdamW"/>): same update and state, but no native number left for the garbage collector per step.
/// </remarks>
public static class Optimizers
{
    /// <summary>Stochastic gradient descent, optionally with momentum.</summary>
    /// <param name="momentum">Momentum factor (0 for plain SGD).</param>
    /// <returns>A factory.</returns>
    public static OptimizerFactory Sgd(double momentum = 0) =>
        (p, lr, wd) => new CourseSgd(p, lr, momentum: momentum, weight_decay: wd);

    /// <summary>Adam (weight decay added to the gradient, as in PyTorch's <c>Adam</c>).</summary>
    /// <param name="beta1">Decay of the first-moment estimate (DCGAN uses 0.5).</param>
    /// <param name="beta2">Decay of the second-moment estimate.</param>
    /// <returns>A factory.</returns>
    public static OptimizerFactory Adam(double beta1 = 0.9, double beta2 = 0.999) =>
        (p, lr, wd) => new CourseAdam(p, lr, beta1, beta2, weight_decay: wd);

    /// <summary>AdamW (decoupled weight decay), the transformer default.</summary>
    /// <returns>A factory.</returns>
    public static OptimizerFactory AdamW() => (p, lr, wd) => new CourseAdamW(p, lr, weight_decay: wd);
}
