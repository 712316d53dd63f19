using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Loss functions in the shape the <see cref="Trainer"/> expects: <c>(yHat, y) =&gt; scalar loss</c>.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): squared loss; cross-entropy in chapter 02 (MLP).</remarks>
public static class Losses
{
    /// <summary>Mean squared error; the target is reshaped to the prediction's shape.</summary>
    public static Func<Tensor, Tensor, Tensor> Mse { get; } =
        (yHat, y) => nn.functional.mse_loss(yHat, Like(y, yHat));

    /// <summary>
    /// Cross-entropy from logits; sequence outputs <c>[B, T, V]</c> with targets <c>[B, T]</c> are
    /// flattened to one prediction per token.
    /// </summary>
    public static Func<Tensor, Tensor, Tensor> CrossEntropy { get; } =
        (yHat, y) => nn.functional.cross_entropy(yHat.reshape(-1, yHat.shape[^1]), y.reshape(-1).to_type(ScalarType.Int64));

    /// <summary>
    /// Cross-entropy from logits that skips targets equal to <paramref name="ignoreIndex"/> (padding after short
    /// sequences); the mean is over the other tokens. Shapes as <see cref="CrossEntropy"/>.
    /// </summary>
    /// <param name="ignoreIndex">The target index to skip (a padding token).</param>
    /// <returns>The loss function.</returns>
    /// <remarks>Introduced in chapter 12 (language): phoneme targets of different lengths, padded.</remarks>
    public static Func<Tensor, Tensor, Tensor> CrossEntropyIgnoring(int ignoreIndex) =>
        (yHat, y) => nn.functional.cross_entropy(yHat.reshape(-1, yHat.shape[^1]), y.reshape(-1).to_type(ScalarType.Int64), ignore_index: ignoreIndex);

    /// <summary>Binary cross-entropy from logits (numerically stable sigmoid + BCE).</summary>
    public static Func<Tensor, Tensor, Tensor> BinaryCrossEntropyWithLogits { get; } =
        (yHat, y) => nn.functional.binary_cross_entropy_with_logits(yHat, Like(y, yHat));

    /// <summary>The target in the prediction's shape and dtype; no native op when it already is (a per-step saving).</summary>
    private static Tensor Like(Tensor y, Tensor yHat)
    {
        var target = y.shape.SequenceEqual(yHat.shape) ? y : y.reshape(yHat.shape);
        return target.dtype == yHat.dtype ? target : target.to_type(yHat.dtype);
    }
}
