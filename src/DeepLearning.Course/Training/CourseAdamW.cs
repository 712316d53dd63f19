using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// TorchSharp's <c>AdamW</c> (decoupled weight decay) with a step that frees every native number it creates, like
/// <see cref="CourseAdam"/> (whose remarks say why), and that skips the decay multiplication when the decay is 0.
/// </summary>
/// <remarks>Used by <see cref="Optimizers.AdamW"/>. The math is PyTorch's <c>torch.optim.AdamW</c>.</remarks>
public class CourseAdamW : AdamW
{
    /// <summary>Creates the optimizer; arguments as TorchSharp's <c>optim.AdamW</c>.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the first-moment estimate.</param>
    /// <param name="beta2">Decay of the second-moment estimate.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weight_decay">Decoupled weight decay: each step multiplies the weights by <c>1 - lr · weight_decay</c>.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public CourseAdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; arguments as TorchSharp's <c>optim.AdamW</c>.</summary>
    /// <param name="groups">Parameter groups, each with its own options.</param>
    /// <param name="lr">Default learning rate.</param>
    /// <param name="beta1">Default β1.</param>
    /// <param name="beta2">Default β2.</param>
    /// <param name="eps">Default ε.</param>
    /// <param name="weight_decay">Default decoupled weight decay.</param>
    /// <param name="amsgrad">Default AMSGrad switch.</param>
    /// <param name="maximize">Default maximize switch.</param>
    public CourseAdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(groups, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>Zeroes every parameter's gradient (as TorchSharp's, without its leftover scalar per parameter).</summary>
    public override void zero_grad() => CourseOptimizer.ZeroGradients(_parameter_groups);

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(group =>
        {
            var o = (Options)group.Options;
            AdamUpdate.Group(group.Parameters, p => (State)_state[p.Handle], o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value,
                l2: 0, decoupled: o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value,
                static s => (s.step, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq), static (s, step, max) => { s.step = step; s.max_exp_avg_sq = max; });
        }, closure);
}
