using DeepLearning.Course.Platform;
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

/// <summary>
/// TorchSharp's <c>SGD</c> (momentum, dampening, Nesterov, weight decay, maximize) with a step that frees every native
/// number it creates, like <see cref="CourseAdam"/> (whose remarks say why).
/// </summary>
/// <remarks>Used by <see cref="Optimizers.Sgd"/>. The math is PyTorch's <c>torch.optim.SGD</c>.</remarks>
public class CourseSgd : SGD
{
    /// <summary>Creates the optimizer; arguments as TorchSharp's <c>optim.SGD</c>.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor (0: plain SGD).</param>
    /// <param name="dampening">Dampening of the momentum.</param>
    /// <param name="weight_decay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public CourseSgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters, lr, momentum, dampening, weight_decay, nesterov, maximize)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; arguments as TorchSharp's <c>optim.SGD</c>.</summary>
    /// <param name="groups">Parameter groups, each with its own options.</param>
    /// <param name="lr">Default learning rate.</param>
    /// <param name="momentum">Default momentum.</param>
    /// <param name="dampening">Default dampening.</param>
    /// <param name="weight_decay">Default L2 penalty.</param>
    /// <param name="nesterov">Default Nesterov switch.</param>
    /// <param name="maximize">Default maximize switch.</param>
    public CourseSgd(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, lr, momentum, dampening, weight_decay, nesterov, maximize)
    {
    }

    /// <summary>Zeroes every parameter's gradient (as TorchSharp's, without its leftover scalar per parameter).</summary>
    public override void zero_grad() => CourseOptimizer.ZeroGradients(_parameter_groups);

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(group =>
        {
            var o = group.Options;
            var (momentum, dampening, weightDecay, nesterov) = (o.momentum!.Value, o.dampening!.Value, o.weight_decay!.Value, o.nesterov!.Value);
            var lr = o.LearningRate!.Value;
            using var decay = weightDecay.ToScalar();
            using var mom = momentum.ToScalar();
            using var undamped = (1 - dampening).ToScalar();
            using var rate = (o.maximize!.Value ? lr : -lr).ToScalar();
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null) continue;
                var state = (State)_state[param.Handle];
                if (weightDecay != 0) grad = grad.add(param, decay);
                if (momentum != 0)
                {
                    if (state.momentum_buffer is null)
                        state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                    else
                        state.momentum_buffer.mul_(mom).add_(grad, undamped);
                    grad = nesterov ? grad.add(state.momentum_buffer, mom) : state.momentum_buffer;
                }
                param.add_(grad, rate);
            }
        }, closure);
}

/// <summary>What the course's optimizers share.</summary>
internal static class CourseOptimizer
{
    /// <summary>Fills every parameter's gradient with 0 (<c>zero_()</c> would leave a native scalar per parameter).</summary>
    public static void ZeroGradients(IEnumerable<TorchSharp.Modules.ParamGroup> groups)
    {
        foreach (var group in groups)
            foreach (var p in group.Parameters)
            {
                using var grad = p.grad;
                grad?.fill_(NativeScalars.Zero);
            }
    }
}

/// <summary>The Adam/AdamW update shared by <see cref="CourseAdam"/> and <see cref="CourseAdamW"/>.</summary>
internal static class AdamUpdate
{
    /// <summary>One step over a group's parameters (inside the optimizer's no-grad dispose scope).</summary>
    public static void Group<TState>(IEnumerable<Parameter> parameters, Func<Parameter, TState> stateOf, double lr, double beta1, double beta2, double eps,
        double l2, double decoupled, bool amsgrad, bool maximize,
        Func<TState, (long Step, Tensor ExpAvg, Tensor ExpAvgSq, Tensor? MaxExpAvgSq)> read, Action<TState, long, Tensor?> write)
    {
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var beta2s = beta2.ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var l2S = l2.ToScalar();
        using var keep = (1 - lr * decoupled).ToScalar();
        long cachedStep = -1;
        Scalar? epsScaled = null, stepSize = null;
        Tensor? lerpWeight = null; // 1 - β1 as a 0-dim tensor of the parameters' dtype (TorchSharp's lerp_ takes no scalar weight)
        try
        {
            foreach (var param in parameters)
            {
                var grad = param.grad;
                if (grad is null) continue;
                var stateObject = stateOf(param);
                var (step, expAvg, expAvgSq, maxExpAvgSq) = read(stateObject);
                step += 1;
                if (step != cachedStep)
                {
                    // Parameters of a group normally share a step count; recompute only when it differs.
                    // PyTorch's update is p -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps); multiplying through by sqrt(bc2)
                    // gives p -= lr·sqrt(bc2)/bc1 · m / (sqrt(v) + eps·sqrt(bc2)): the same step, one pass fewer.
                    epsScaled?.Dispose();
                    stepSize?.Dispose();
                    var biasSqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
                    epsScaled = (eps * biasSqrt).ToScalar();
                    stepSize = (-lr * biasSqrt / (1 - Math.Pow(beta1, step))).ToScalar();
                    cachedStep = step;
                }
                if (lerpWeight is null || lerpWeight.dtype != param.dtype)
                    lerpWeight = full([], oneMinusBeta1, dtype: param.dtype, device: param.device);
                if (maximize) grad = grad.neg();
                if (decoupled != 0) param.mul_(keep);
                if (l2 != 0) grad = grad.add(param, l2S);
                expAvg.lerp_(grad, lerpWeight);                            // m = β1·m + (1 - β1)·g, one pass
                expAvgSq.mul_(beta2s).addcmul_(grad, grad, oneMinusBeta2); // v = β2·v + (1 - β2)·g²
                Tensor denominator;
                if (amsgrad)
                {
                    maxExpAvgSq ??= zeros_like(expAvgSq).DetachFromDisposeScope();
                    using (var larger = maximum(maxExpAvgSq, expAvgSq)) maxExpAvgSq.copy_(larger);
                    denominator = maxExpAvgSq.sqrt();
                }
                else
                {
                    denominator = expAvgSq.sqrt();
                }
                denominator.add_(epsScaled!, NativeScalars.One);
                param.addcdiv_(expAvg, denominator, stepSize!);
                write(stateObject, step, maxExpAvgSq);
            }
        }
        finally
        {
            epsScaled?.Dispose();
            stepSize?.Dispose();
        }
    }
}
