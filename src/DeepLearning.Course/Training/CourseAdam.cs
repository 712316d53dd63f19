using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// TorchSharp's <c>Adam</c> with the same update, state, options, parameter groups, schedulers and
/// <c>state_dict</c>, but a step that frees every number it hands to libtorch before it returns.
/// </summary>
/// <remarks>
/// <para>Why the course has its own step (found profiling chapter 04's LSTM with the benchmark): TorchSharp turns each
/// <c>double</c> passed to an operation (<c>mul_(beta1)</c>, <c>add_(grad, alpha: ...)</c>) into a native
/// <see cref="Scalar"/> that dispose scopes do not track, so it is freed only when the .NET garbage collector
/// finalizes it. Stock Adam leaves seven per parameter per step. Those small blocks sit in the middle of the
/// memory libtorch has just freed and keep glibc from merging it, so a training loop whose step frees and
/// re-allocates large buffers (the LSTM's) takes fresh memory every step until a collection happens: on the course
/// VM the process grew by about 50 MiB per step and the step took 110 ms instead of 35 ms. Here each
/// <see cref="Scalar"/> is created once per group and step and disposed at once, and the update makes fewer
/// passes over each parameter (<c>lerp_</c> for the first moment, the bias correction folded into the step size and
/// ε, no <c>conj</c> on real tensors, no decay multiplication when the decay is 0): the same update up to rounding.</para>
/// <para>Used by <see cref="Optimizers.Adam(double, double)"/> and <see cref="GanTrainer"/>. The math is PyTorch's
/// <c>torch.optim.Adam</c> (single-tensor path); the tests compare it step by step with TorchSharp's.</para>
/// </remarks>
public class CourseAdam : Adam
{
    /// <summary>Creates the optimizer; arguments as TorchSharp's <c>optim.Adam</c>.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the first-moment (mean) estimate.</param>
    /// <param name="beta2">Decay of the second-moment estimate.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weight_decay">L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public CourseAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; arguments as TorchSharp's <c>optim.Adam</c>.</summary>
    /// <param name="groups">Parameter groups, each with its own options.</param>
    /// <param name="lr">Default learning rate.</param>
    /// <param name="beta1">Default β1.</param>
    /// <param name="beta2">Default β2.</param>
    /// <param name="eps">Default ε.</param>
    /// <param name="weight_decay">Default L2 penalty.</param>
    /// <param name="amsgrad">Default AMSGrad switch.</param>
    /// <param name="maximize">Default maximize switch.</param>
    public CourseAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
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
                l2: o.weight_decay!.Value, decoupled: 0, o.amsgrad!.Value, o.maximize!.Value,
                static s => (s.step, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq), static (s, step, max) => { s.step = step; s.max_exp_avg_sq = max; });
        }, closure);
}
