using System.Globalization;
using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 06's exercises (attention and transformers): a sliding-window causal mask, the sinusoidal
/// positional encoding, a transformer block's parameter count, the sharpness of the soft lookup, and a post-norm block.
/// </summary>
/// <remarks>Introduced in chapter 06 (attention and transformers), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter06Exercises
{
    /// <summary>Exercise 06.1: a causal mask that also forgets: query <c>i</c> sees keys <c>i - window + 1 .. i</c>.</summary>
    /// <param name="slidingWindowMask">The learner's builder: <c>(length, window) → bool (length, length)</c>, true = may attend.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict SlidingWindowMask(Func<long, long, Tensor> slidingWindowMask) =>
        Exercise.Check("06.1", "a sliding-window causal mask", () =>
        {
            Expect.That(slidingWindowMask is not null, "pass your function: Chapter06Exercises.SlidingWindowMask(SlidingWindowMask).");
            using var scope = NewDisposeScope();
            foreach (var (length, window) in new (long, long)[] { (6, 3), (5, 1), (4, 10) })
            {
                var i = arange(length).unsqueeze(1);
                var j = arange(length).unsqueeze(0);
                var expected = (i - j).ge(0).logical_and((i - j).lt(window));                     // (T, T)
                var what = $"SlidingWindowMask({length}, {window})";
                var got = slidingWindowMask!(length, window);
                Expect.Shape(got, [length, length], what);
                Expect.That(got.dtype == ScalarType.Bool, $"{what} has dtype {got.dtype}: a mask is a Bool tensor (true = may attend), as Attention.CausalMask returns.");
                Mistakes.If(got, (i - j).abs().lt(window), expected, $"{what} lets queries see the future (keys after them): keep only keys j ≤ i.");
                Mistakes.If(got, (i - j).ge(0).logical_and((i - j).le(window)), expected, $"{what} lets each query see {window + 1} keys: the window counts the query's own position, so i - j < window.");
                Expect.Close(got.to_type(ScalarType.Float32), expected.to_type(ScalarType.Float32), $"{what} (1 = may attend)");
            }
            Expect.Close(slidingWindowMask!(4, 10).to_type(ScalarType.Float32), Attention.CausalMask(4).to_type(ScalarType.Float32), "SlidingWindowMask(4, 10) against the causal mask");
            return "your masks keep the last `window` positions up to the query itself; a window of 1 is the diagonal, a window longer than the sequence is the causal mask.";
        });

    /// <summary>Exercise 06.2: the sinusoidal positional encoding table, compared with <see cref="PositionalEncoding.Table"/>.</summary>
    /// <param name="sinusoidalTable">The learner's table: <c>(length, dim) → (length, dim)</c>, channel pair <c>i</c> = sin, cos of <c>p / 10000^(2i/dim)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict SinusoidalTable(Func<int, int, Tensor> sinusoidalTable) =>
        Exercise.Check("06.2", "sinusoidal positional encoding", () =>
        {
            Expect.That(sinusoidalTable is not null, "pass your function: Chapter06Exercises.SinusoidalTable(SinusoidalTable).");
            using var scope = NewDisposeScope();
            foreach (var (length, dim) in new[] { (5, 4), (50, 16), (1, 2) })
            {
                var what = $"SinusoidalTable({length}, {dim})";
                var expected = PositionalEncoding.Table(length, dim);
                var got = sinusoidalTable!(length, dim);
                Expect.Shape(got, [length, dim], what);
                var position = arange(length, dtype: ScalarType.Float64).unsqueeze(1);
                var angle = position * exp(arange(0, dim, 2, dtype: ScalarType.Float64) * (-Math.Log(10000.0) / dim));   // (L, d/2)
                Mistakes.If(got, cat([sin(angle), cos(angle)], 1), expected, $"{what} puts all the sines first and then all the cosines: channels 2i and 2i + 1 are the sine and cosine of the same angle (interleave them).");
                var perChannel = position * exp(arange(0, dim / 2, dtype: ScalarType.Float64) * (-Math.Log(10000.0) / dim));
                Mistakes.If(got, stack([sin(perChannel), cos(perChannel)], -1).reshape(length, dim), expected, $"{what} uses 10000^(i/dim) for pair i: the exponent is 2i/dim, so the slowest pair has a wavelength near 10000·2π.", 1e-3, 1e-4);
                Expect.Close(got, expected, what, 1e-4, 1e-4);
            }
            return "your table equals PositionalEncoding.Table: interleaved sine and cosine, frequencies 1/10000^(2i/dim), also for a single position.";
        });

    /// <summary>Exercise 06.3: predict the parameter count of a transformer block of width 128 with 4 heads (one block of the Moby Dick GPT).</summary>
    /// <param name="predicted">The learner's prediction (null: not answered yet).</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict TransformerBlockParameters(long? predicted) =>
        Exercise.Check("06.3", "predict a transformer block's parameter count", () =>
        {
            const long C = 128;
            var answer = Expect.Answered(predicted, "predictedBlockParameters");
            long truth;
            using (var block = Mistakes.Seeded(6, () => new TransformerBlock((int)C, 4, causal: true))) truth = block.parameters().Sum(p => p.numel());
            Mistakes.If(answer, 12 * C * C, truth, $"{answer} = 12·C² counts the weight matrices only: add the biases (4C in attention, 4C + C in the MLP) and the two layer norms' scale and shift (2C each).");
            Mistakes.If(answer, 4 * C * C + 4 * C, truth, $"{answer} is the attention alone: the MLP (C → 4C → C) has twice as many weights.");
            Mistakes.If(answer, 8 * C * C + 5 * C, truth, $"{answer} is the MLP alone: add the attention (4·C² + 4C) and the two layer norms (2C each).");
            Mistakes.If(answer, 4 * (4 * C * C + 4 * C) + 8 * C * C + 9 * C, truth, $"{answer} multiplies the attention by the number of heads: the heads split the C channels, they do not add weights.");
            Expect.Equal(answer, truth, "the parameters of TransformerBlock(128, heads: 4)");
            return $"attention 4·C² + 4C, MLP 8·C² + 5C, two layer norms 4C: 12·C² + 13C = {truth:N0} for C = {C}, whatever the number of heads.";
        });

    /// <summary>
    /// Exercise 06.4: how much to scale the chapter's query (keys on the unit circle, values 10..40) for a near-hard lookup, and
    /// why attention divides scores by <c>sqrt(d)</c>. The check runs the lookup and its gradient at the learner's scale.
    /// </summary>
    /// <param name="queryScale">The learner's scale of the query <c>[0.9, 0.4]</c> (null: not answered yet).</param>
    /// <param name="explanation">Why Vaswani et al. divide the scores by <c>sqrt(d)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict QueryScale(double? queryScale, string explanation) =>
        Exercise.Check("06.4", "the sharpness of the soft lookup", () =>
        {
            var scale = Expect.Answered(queryScale, "queryScale");
            var (answer, gradient) = Lookup(scale);
            var (_, gradientAtOne) = Lookup(1);
            string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
            Expect.That(Math.Abs(answer - 10) <= 0.5, $"at scale {scale} the lookup answers {F(answer)}: not yet within 0.5 of the first key's value 10. A larger scale sharpens the softmax.");
            Expect.Written(explanation, "queryScaleExplanation", 8);
            return $"at scale {scale} the answer is {F(answer)}, and its gradient with respect to the query has norm {F(gradient)} against {F(gradientAtOne)} at scale 1: a saturated softmax passes little gradient. Compare your explanation with the solution.";
        });

    /// <summary>The chapter's soft lookup at a query scale: the answer and the norm of its gradient with respect to the query.</summary>
    internal static (double Answer, double GradientNorm) Lookup(double scale)
    {
        using var scope = NewDisposeScope();
        var keys = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } });
        var values = tensor(new float[] { 10, 20, 30, 40 }).reshape(4, 1);
        var query = tensor(new float[,] { { 0.9f, 0.4f } }).requires_grad_();
        var answer = (query * scale).matmul(keys.T).softmax(-1).matmul(values).sum();
        var grad = autograd.grad([answer], [query])[0];
        return (answer.item<float>(), grad.norm().item<float>());
    }

    /// <summary>
    /// Exercise 06.5: a post-norm transformer block (the original transformer's layout, <c>x = LN(x + attn(x)); x = LN(x + mlp(x))</c>),
    /// causal, with the same parameters as the library's pre-norm <see cref="TransformerBlock"/>.
    /// </summary>
    /// <param name="makeBlock">The learner's constructor: <c>(dim, heads) → a module (B, T, dim) → (B, T, dim)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict PostNormBlock(Func<int, int, nn.Module<Tensor, Tensor>> makeBlock) =>
        Exercise.Check("06.5", "a post-norm transformer block", () =>
        {
            Expect.That(makeBlock is not null, "pass your constructor: Chapter06Exercises.PostNormBlock(MakePostNormBlock).");
            const int C = 32, heads = 4;
            using var scope = NewDisposeScope();
            var block = Mistakes.Seeded(7, () => makeBlock!(C, heads));
            Expect.That(block is not null, "MakePostNormBlock returned null: return your block.");
            block!.eval();
            long reference;
            using (var library = Mistakes.Seeded(7, () => new TransformerBlock(C, heads, causal: true))) reference = library.parameters().Sum(p => p.numel());
            Expect.Equal(block.parameters().Sum(p => p.numel()), reference, $"the parameters of your block (dim {C}, {heads} heads), against the library's TransformerBlock");
            var x = randn(2, 7, C, generator: new Generator(7));
            using var noGrad = no_grad();
            var y = block.call(x);
            Expect.Shape(y, [2, 7, C], "your block's output for x of shape [2, 7, 32]");
            var changed = x.clone();
            changed[.., 5] = randn(2, C, generator: new Generator(8));
            var yChanged = block.call(changed);
            var leak = (yChanged[.., ..5] - y[.., ..5]).abs().max().item<float>();
            Expect.That(leak < 1e-5, $"changing only position 5 changed the outputs at positions 0..4 (by up to {leak.ToString("G3", CultureInfo.InvariantCulture)}): the attention must be causal.");
            var mean = y.mean([-1]).abs().max().item<float>();
            var std = (y.std(-1, unbiased: false) - 1).abs().max().item<float>();
            Expect.That(mean < 1e-4 && std < 1e-2, $"your block's outputs are not layer-normalised (largest |mean| over the channels {mean.ToString("G3", CultureInfo.InvariantCulture)}, "
                + $"standard deviation off 1 by up to {std.ToString("G3", CultureInfo.InvariantCulture)}): a post-norm block applies LayerNorm after each residual addition, last of all.");
            return $"shape [2, 7, {C}] in and out, {reference:N0} parameters like the pre-norm block, causal, and every output position layer-normalised.";
        });
}
