using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 03's exercises (convolutional networks): cross-correlation over several input channels,
/// LeNet's parameter count predicted, stride and padding that halve a feature map, a small CNN built from layers.
/// </summary>
/// <remarks>Introduced in chapter 03 (CNNs), section "Exercises": each method is one exercise\'s check cell.</remarks>
public static class Chapter03Exercises
{
    /// <summary>
    /// Exercise 03.1: cross-correlation of a multi-channel input <c>(C, H, W)</c> with a kernel <c>(C, kh, kw)</c>,
    /// summed over the channels to one output map; compared with <c>conv2d</c> on d2l's two-channel example, one
    /// channel, and three channels with a non-square kernel.
    /// </summary>
    /// <param name="corr">The learner's function: <c>(X, K)</c> to <c>(H − kh + 1, W − kw + 1)</c>.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict MultiChannelCorrelation(Func<Tensor, Tensor, Tensor> corr) => Exercise.Check("03.1", "cross-correlation over input channels", () =>
    {
        ArgumentNullException.ThrowIfNull(corr);
        using var scope = NewDisposeScope();
        var cases = new (string What, Tensor X, Tensor K)[]
        {
            ("d2l's X [2, 3, 3] and K [2, 2, 2]", stack([arange(9f).reshape(3, 3), arange(1f, 10f).reshape(3, 3)]),
                stack([tensor(new float[] { 0, 1, 2, 3 }).reshape(2, 2), tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2)])),
            ("one channel: X [1, 4, 5], K [1, 2, 2]", (arange(20f) * 0.3f).sin().reshape(1, 4, 5), tensor(new float[] { 1, -1, 2, 0.5f }).reshape(1, 2, 2)),
            ("three channels, non-square kernel: X [3, 5, 6], K [3, 3, 2]", (arange(90f) * 0.7f).cos().reshape(3, 5, 6), (arange(18f) * 1.3f).sin().reshape(3, 3, 2)),
        };
        foreach (var (what, x, k) in cases)
        {
            var got = corr(x, k);
            var expected = nn.functional.conv2d(x.unsqueeze(0), k.unsqueeze(0)).squeeze(0).squeeze(0);
            if (got is not null && got.dim() == 3 && got.shape[0] == x.shape[0] && got.shape.Skip(1).SequenceEqual(expected.shape))
                throw new NotYetException($"MultiChannelCorrelation({what}) has shape {Expect.Shape(got.shape)}: one map per channel. Sum the channels' cross-correlations into one map of shape {Expect.Shape(expected.shape)}.");
            Expect.Close(got, expected, $"MultiChannelCorrelation({what})");
        }
        return "matches conv2d on 3 cases: d2l's two-channel example ([[56, 72], [104, 120]]), one channel, and three channels with a 3×2 kernel.";
    });

    /// <summary>
    /// Exercise 03.2: predict LeNet's number of parameters before counting them; the message explains the count
    /// layer by layer.
    /// </summary>
    /// <param name="predictedParameters">The learner's prediction (null until answered).</param>
    /// <param name="lenet">The chapter's LeNet.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict LeNetParameters(long? predictedParameters, nn.Module lenet) => Exercise.Check("03.2", "predict LeNet's parameter count", () =>
    {
        ArgumentNullException.ThrowIfNull(lenet);
        var actual = Expect.PredictedParameterCount(predictedParameters, lenet, "predictedLeNetParameters",
            "A Conv2d(in, out, k) holds out × in × k × k weights and out biases; a Linear(in, out) in × out weights and out biases; pooling and activations none.");
        // The convolutions' parameters: the 4-D kernels and the biases of the same layers.
        var layers = lenet.named_parameters().Where(p => p.parameter.dim() == 4).Select(p => Layer(p.name)).ToHashSet(StringComparer.Ordinal);
        var convolutions = lenet.named_parameters().Where(p => layers.Contains(Layer(p.name))).Sum(p => p.parameter.numel());
        return $"{actual:N0} parameters, of which only {convolutions:N0} in the convolutions: {Expect.DescribeParameters(lenet)}.";
    });

    /// <summary>
    /// Exercise 03.3: the stride and padding with which a 3×3 convolution halves a feature map (28 → 14 and
    /// 14 → 7), verified by running <c>conv2d</c>, and an explanation with the output-size formula.
    /// </summary>
    /// <param name="stride">The learner's stride.</param>
    /// <param name="padding">The learner's padding.</param>
    /// <param name="explanation">The learner's explanation.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict HalvingConvolution(int stride, int padding, string? explanation) => Exercise.Check("03.3", "stride and padding that halve a feature map", () =>
    {
        Expect.That(stride >= 1, $"stride is {stride}: a stride is at least 1.");
        Expect.That(padding >= 0 && padding < 3, $"padding is {padding}: with a 3×3 kernel, padding is 0, 1 or 2.");
        using var scope = NewDisposeScope();
        var kernel = ones(1, 1, 3, 3);
        foreach (var (size, half) in new[] { (28L, 14L), (14L, 7L) })
        {
            var output = nn.functional.conv2d(ones(1, 1, size, size), kernel, strides: [stride, stride], padding: [padding, padding]).shape[2];
            Expect.That(output == half, $"a 3×3 convolution with stride {stride} and padding {padding} maps {size}×{size} to {output}×{output}, expected {half}×{half}: "
                + "the output size is floor((n + 2p − k) / s) + 1.");
        }
        Expect.Written(explanation, "convExplanation");
        return $"stride {stride}, padding {padding}: 28×28 → 14×14 and 14×14 → 7×7, as floor((n + 2·{padding} − 3) / {stride}) + 1 says.";
    });

    /// <summary>
    /// Exercise 03.4: a small CNN built from layers — conv 3×3 (1 → 8, padding 1), ReLU, 2×2 max-pool, conv 3×3
    /// (8 → 16, padding 1), ReLU, 2×2 max-pool, flatten, linear to 10; the check (seed 0) requires images
    /// <c>(B, 1, 28, 28)</c> in, logits <c>(B, 10)</c> out, exactly 9,098 parameters and a nonlinear model.
    /// </summary>
    /// <param name="makeModel">Builds the learner's model.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict SmallCnn(Func<nn.Module<Tensor, Tensor>> makeModel) => Exercise.Check("03.4", "a small CNN from layers", () =>
    {
        ArgumentNullException.ThrowIfNull(makeModel);
        manual_seed(0);
        var model = makeModel();
        Expect.That(model is not null, "SmallCnn() returned null: return a module, e.g. torch.nn.Sequential(...).");
        model!.eval();
        using var scope = NewDisposeScope();
        var x = (arange(2 * 784, dtype: float32) * 0.37f).sin().abs().reshape(2, 1, 28, 28);
        Tensor output;
        try
        {
            output = model.call(x);
        }
        catch (Exception e) when (e is not NotImplementedException)
        {
            throw new NotYetException($"your model threw on images of shape [2, 1, 28, 28]: {e.Message.Split('\n')[0].Trim()} — after two 2×2 poolings a 28×28 map is 7×7, so the flattened features number 16 × 7 × 7 = 784.");
        }
        Expect.Shape(output, [2, 10], "your model(x) for x of shape [2, 1, 28, 28]");
        Expect.ParameterCount(model, 8 * 1 * 9 + 8 + 16 * 8 * 9 + 16 + 16 * 7 * 7 * 10 + 10, "your CNN");
        Expect.Nonlinear(model.call, x, x.flip(3), "your model");
        return $"[2, 1, 28, 28] → [2, 10] with {Expect.CountParameters(model):N0} parameters, nonlinear: {Expect.DescribeParameters(model)}.";
    });

    private static string Layer(string parameterName) => parameterName.Contains('.', StringComparison.Ordinal) ? parameterName[..parameterName.LastIndexOf('.')] : "";
}
