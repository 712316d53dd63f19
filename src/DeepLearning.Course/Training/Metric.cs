using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// A quantity measured on every batch and averaged over an epoch (accuracy, MSE, RMSE,
/// perplexity). A metric is stateless: it turns one batch into a (sum, count) pair, the
/// <see cref="Trainer"/> adds the pairs up, and <see cref="Finish"/> turns the totals into the value.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): accuracy for the digits classifier, MSE/RMSE; perplexity in chapter 04 (RNN); PSNR in chapter 08 (denoising autoencoder).</remarks>
public abstract class Metric
{
    /// <summary>Short snake_case name used in history keys (<c>train_accuracy</c>, <c>valid_accuracy</c>).</summary>
    public abstract string Name { get; }

    /// <summary>True when larger values are better (accuracy); false for errors and perplexity.</summary>
    public virtual bool HigherIsBetter => false;

    /// <summary>Measures one batch.</summary>
    /// <param name="yHat">Model output for the batch.</param>
    /// <param name="y">Targets for the batch.</param>
    /// <returns>The batch's contribution: a sum and the count it is a sum over.</returns>
    public abstract (double Sum, double Count) Measure(Tensor yHat, Tensor y);

    /// <summary>Turns epoch totals into the metric's value (by default the mean <c>sum / count</c>).</summary>
    /// <param name="sum">Sum of the per-batch sums.</param>
    /// <param name="count">Sum of the per-batch counts.</param>
    /// <returns>The metric's value.</returns>
    public virtual double Finish(double sum, double count) => count == 0 ? double.NaN : sum / count;

    /// <summary>
    /// Classification accuracy: the share of rows whose arg-max over the last dimension equals the
    /// target class. Binary outputs (<c>[N]</c> or <c>[N, 1]</c> floats) are read as probabilities
    /// and thresholded at 0.5 (apply <c>sigmoid</c> to logits first); integer outputs as class indices.
    /// </summary>
    public static Metric Accuracy { get; } = new AccuracyMetric();

    /// <summary>Mean squared error over all elements.</summary>
    public static Metric Mse { get; } = new SquaredErrorMetric("mse", root: false);

    /// <summary>Root mean squared error over all elements.</summary>
    public static Metric Rmse { get; } = new SquaredErrorMetric("rmse", root: true);

    /// <summary>Perplexity: <c>exp</c> of the mean cross-entropy per token (logits <c>[..., V]</c>, targets <c>[...]</c>).</summary>
    public static Metric Perplexity { get; } = new PerplexityMetric();

    /// <summary>
    /// Peak signal-to-noise ratio in decibels, per image then averaged over images: <c>10 log₁₀(1 / MSEᵢ)</c> for pixels in
    /// [0, 1] (peak 1), where <c>MSEᵢ</c> is image i's mean squared error against its target (capped at 100 dB for an exact copy).
    /// Higher is better; each halving of the error adds about 3 dB.
    /// </summary>
    public static Metric Psnr { get; } = new PsnrMetric();

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class PsnrMetric : Metric
    {
        public override string Name => "psnr";

        public override bool HigherIsBetter => true;

        public override (double Sum, double Count) Measure(Tensor yHat, Tensor y)
        {
            using var scope = NewDisposeScope();
            var n = yHat.shape[0];
            var diff = yHat.to_type(ScalarType.Float64).reshape(n, -1) - y.to_type(ScalarType.Float64).reshape(n, -1);
            var mse = diff.square().mean([1L]).clamp_min(1e-10);          // (N), 1e-10 = 100 dB
            return (Platform.NativeScalars.ToDouble((-10 * mse.log10()).sum()), n);
        }
    }

    private sealed class AccuracyMetric : Metric
    {
        public override string Name => "accuracy";

        public override bool HigherIsBetter => true;

        public override (double Sum, double Count) Measure(Tensor yHat, Tensor y)
        {
            using var scope = NewDisposeScope();
            Tensor predicted;
            if (yHat.dim() > y.dim() && yHat.size(-1) > 1) predicted = yHat.argmax(-1); // class scores (size(): .shape leaves an object for the GC)
            else if (yHat.is_floating_point()) predicted = yHat.reshape(y.shape).ge(0.5); // binary probabilities
            else predicted = yHat.reshape(y.shape); // class indices
            var correct = Platform.NativeScalars.ToInt64(predicted.to_type(y.dtype).eq(y).sum());
            return (correct, y.numel());
        }
    }

    private sealed class SquaredErrorMetric(string name, bool root) : Metric
    {
        public override string Name => name;

        public override (double Sum, double Count) Measure(Tensor yHat, Tensor y)
        {
            using var scope = NewDisposeScope();
            var diff = yHat.to_type(ScalarType.Float64) - y.to_type(ScalarType.Float64).reshape(yHat.shape);
            return (Platform.NativeScalars.ToDouble(diff.square().sum()), yHat.numel());
        }

        public override double Finish(double sum, double count)
        {
            var mse = base.Finish(sum, count);
            return root ? Math.Sqrt(mse) : mse;
        }
    }

    private sealed class PerplexityMetric : Metric
    {
        public override string Name => "perplexity";

        public override (double Sum, double Count) Measure(Tensor yHat, Tensor y)
        {
            using var scope = NewDisposeScope();
            var logits = yHat.reshape(-1, yHat.shape[^1]);
            var targets = y.reshape(-1).to_type(ScalarType.Int64);
            var total = Platform.NativeScalars.ToDouble(nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum));
            return (total, targets.numel());
        }

        public override double Finish(double sum, double count) => Math.Exp(base.Finish(sum, count));
    }
}
