using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

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
