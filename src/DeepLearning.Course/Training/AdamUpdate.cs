using DeepLearning.Course.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

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
