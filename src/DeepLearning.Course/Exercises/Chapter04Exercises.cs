using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 04's exercises (recurrent networks): one RNN step by hand against <c>nn.RNN</c>, an LSTM's
/// parameter count, the seasonal-naive forecast for any horizon, gradient-norm clipping, and the recurrent gain that
/// keeps gradients through time from exploding or vanishing.
/// </summary>
/// <remarks>Introduced in chapter 04 (recurrent networks), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter04Exercises
{
    /// <summary>Exercise 04.1: one step <c>h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)</c>, compared with <c>nn.RNN</c>'s first step.</summary>
    /// <param name="rnnStep">The learner's step: <c>(x (B, D), h (B, H), W_xh (D, H), W_hh (H, H), b (H)) → h_t (B, H)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict RnnStep(Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> rnnStep) =>
        Exercise.Check("04.1", "one RNN step by hand", () =>
        {
            Expect.That(rnnStep is not null, "pass your function: Chapter04Exercises.RnnStep(RnnStep).");
            using var scope = NewDisposeScope();
            var g = new Generator(4);
            var cases = new (int B, int D, int H, bool ZeroState)[] { (3, 4, 5, false), (1, 2, 3, true), (8, 6, 2, false) };
            foreach (var (B, D, H, zeroState) in cases)
            {
                var rnn = Mistakes.Seeded(4, () => nn.RNN(D, H, batchFirst: true));   // its initial weights are overwritten below
                var w = rnn.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                using (no_grad()) foreach (var p in w.Values) p.copy_(randn(p.shape, generator: g));
                var x = randn(B, D, generator: g);
                var h = zeroState ? zeros(B, H) : randn(B, H, generator: g);
                var (Wxh, Whh, b) = (w["weight_ih_l0"].detach().t(), w["weight_hh_l0"].detach().t(), (w["bias_ih_l0"] + w["bias_hh_l0"]).detach());
                Tensor expected;
                using (no_grad()) expected = rnn.call(x.unsqueeze(1), h.unsqueeze(0)).Item1.select(1, 0);   // (B, H)
                var got = rnnStep!(x, h, Wxh, Whh, b);
                var what = $"RnnStep for a batch of {B}, {D} inputs, {H} hidden units{(zeroState ? ", h = 0" : "")}";
                var preActivation = x.matmul(Wxh) + h.matmul(Whh) + b;
                Mistakes.If(got, preActivation, expected, $"{what} returned x W_xh + h W_hh + b without the tanh: squash it with tanh(...).");
                if (!zeroState)
                    Mistakes.If(got, tanh(x.matmul(Wxh) + b), expected, $"{what} ignores the previous state h: add h.matmul(Whh).");
                Expect.Close(got, expected, what);
            }
            return "your step equals nn.RNN's first step (its weights transposed, its two biases added) on 3 batches, one starting from h = 0.";
        });

    /// <summary>Exercise 04.2: predict the parameter count of <c>nn.LSTM(32, 128)</c> (the names models' recurrent layer).</summary>
    /// <param name="predicted">The learner's prediction (null: not answered yet).</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict LstmParameters(long? predicted) =>
        Exercise.Check("04.2", "predict an LSTM's parameter count", () =>
        {
            const int D = 32, H = 128;
            var answer = Expect.Answered(predicted, "predictedLstmParameters");
            long truth;
            using (var lstm = nn.LSTM(D, H, batchFirst: true)) truth = lstm.parameters().Sum(p => p.numel());
            var perGate = (long)H * (D + H);
            Mistakes.If(answer, perGate + 2 * H, truth, $"{answer} is one gate's worth (W_ih {H}x{D}, W_hh {H}x{H}, two biases): an LSTM has four (input, forget, cell, output).");
            Mistakes.If(answer, perGate + H, truth, $"{answer} is one gate with one bias: an LSTM has four gates, and TorchSharp (like PyTorch) keeps two bias vectors per gate, b_ih and b_hh.");
            Mistakes.If(answer, 4 * perGate, truth, $"{answer} counts the four gates' weight matrices but no biases: each gate also has two bias vectors of {H} (b_ih and b_hh).");
            Mistakes.If(answer, 4 * (perGate + H), truth, $"{answer} has one bias per gate: TorchSharp (like PyTorch) keeps two, b_ih and b_hh, that add up.");
            Expect.Equal(answer, truth, $"the parameters of nn.LSTM({D}, {H})");
            return $"nn.LSTM({D}, {H}) has 4 gates x ({H}x{D} + {H}x{H} weights + 2 x {H} biases) = {truth:N0} parameters.";
        });

    /// <summary>Exercise 04.3: the seasonal-naive forecast for any horizon, also longer than a season.</summary>
    /// <param name="seasonalNaive">The learner's forecast: <c>(history (N, W), season, horizon) → (N, horizon)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict SeasonalNaive(Func<Tensor, int, int, Tensor> seasonalNaive) =>
        Exercise.Check("04.3", "seasonal-naive forecast for any horizon", () =>
        {
            Expect.That(seasonalNaive is not null, "pass your function: Chapter04Exercises.SeasonalNaive(SeasonalNaive).");
            using var scope = NewDisposeScope();
            var cases = new (int N, int W, int Season, int Horizon)[] { (3, 10, 4, 4), (2, 10, 4, 3), (2, 9, 4, 10), (1, 3, 3, 7) };
            foreach (var (N, W, season, horizon) in cases)
            {
                var history = (arange(N * W, dtype: ScalarType.Float32).reshape(N, W) * 1.5f).sin() + arange(N * W, dtype: ScalarType.Float32).reshape(N, W) / 10;
                var index = tensor(Enumerable.Range(0, horizon).Select(j => (long)(W - season + j % season)).ToArray());
                var expected = history.index_select(1, index);
                var what = $"SeasonalNaive(history {N}x{W}, season {season}, horizon {horizon})";
                Tensor got;
                try
                {
                    got = seasonalNaive!(history, season, horizon);
                }
                catch (Exception e) when (e is not NotImplementedException && horizon > season)
                {
                    throw new NotYetException($"{what} threw {e.GetType().Name}: a horizon longer than the season has to repeat the last season again (week j ahead is the week j mod season of the last season).");
                }
                Mistakes.If(got, history.narrow(1, W - 1, 1).expand(-1, horizon), expected, $"{what} repeats the last value: that is the naive forecast. Seasonal naive repeats the same week one season earlier.");
                Expect.Close(got, expected, what);
            }
            return "your forecast repeats the last season for horizons shorter than, equal to and longer than the season, and for a history of exactly one season.";
        });

    /// <summary>Exercise 04.4: clip gradients by their global norm (what <c>ClipGradientNorm</c> and the chapter's loop do).</summary>
    /// <param name="clipGradNorm">The learner's clipping: scales the gradients in place, returns their norm before clipping.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict ClipGradNorm(Func<Tensor[], double, double> clipGradNorm) =>
        Exercise.Check("04.4", "clip gradients by their global norm", () =>
        {
            Expect.That(clipGradNorm is not null, "pass your function: Chapter04Exercises.ClipGradNorm(ClipGradNorm).");
            using var scope = NewDisposeScope();
            var cases = new (string Name, float[][] Grads, double Theta)[]
            {
                ("gradients [3, 4] and [12] (norm 13), θ = 1", [[3, 4], [12]], 1.0),
                ("gradients [0.3, 0.4] and [1.2] (norm 1.3), θ = 5: already short enough", [[0.3f, 0.4f], [1.2f]], 5.0),
                ("gradients [2, 0, 0] and [0, 2] (norm 2.83), θ = 2.5: each tensor alone is short enough", [[2, 0, 0], [0, 2]], 2.5),
                ("all-zero gradients, θ = 1", [[0, 0], [0]], 1.0),
            };
            foreach (var (name, values, theta) in cases)
            {
                var grads = values.Select(v => tensor(v)).ToArray();
                var norm = Math.Sqrt(values.Sum(v => v.Sum(x => (double)x * x)));
                var scale = norm > theta ? theta / norm : 1.0;
                var returned = clipGradNorm!(grads, theta);
                Mistakes.If(returned, Math.Min(norm, theta), norm, $"for {name} you returned the norm after clipping, {returned.ToString("G4", CultureInfo.InvariantCulture)}: return the norm before clipping (it is what the chapter plots).", 1e-4);
                Expect.Close(returned, norm, $"the norm you returned for {name}", 1e-4);
                for (var i = 0; i < grads.Length; i++)
                {
                    var expected = tensor(values[i]) * scale;
                    if (norm > theta && values[i].Any(v => v != 0))
                        Mistakes.If(grads[i], tensor(values[i]) * Math.Min(1.0, theta / Math.Sqrt(values[i].Sum(x => (double)x * x))), expected,
                            $"for {name} each tensor was clipped on its own: clipping uses one norm over all the gradients together, so the whole update keeps its direction.");
                    Expect.Close(grads[i], expected, $"gradient {i + 1} after clipping, for {name}");
                }
            }
            return "one global norm, returned before clipping; gradients rescaled to norm θ only when longer, left alone otherwise, and zero gradients stay zero (no division by zero).";
        });

    /// <summary>
    /// Exercise 04.5: choose the recurrent gain <c>g</c> (<c>W_hh = g·Q</c>, <c>Q</c> orthogonal) so that the gradient 30 steps
    /// back stays within a factor 10 of the last step's, and explain. The check runs the chapter's probe with the learner's <c>g</c>.
    /// </summary>
    /// <param name="gain">The learner's gain (null: not answered yet).</param>
    /// <param name="explanation">Why the gain must be close to 1, and what clipping and gated cells do about it.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict RecurrentGain(double? gain, string explanation) =>
        Exercise.Check("04.5", "a recurrent gain that keeps gradients alive", () =>
        {
            var g = Expect.Answered(gain, "recurrentGain");
            var ratio = GradientRatio(g, 30);
            var shown = ratio.ToString("G3", CultureInfo.InvariantCulture);
            Expect.That(double.IsFinite(ratio) && ratio <= 10, $"with g = {g} the gradient 30 steps back is {shown} times the last step's: it explodes. Try a gain closer to 1.");
            Expect.That(ratio >= 0.1, $"with g = {g} the gradient 30 steps back is {shown} times the last step's: it vanishes, so the early steps get no learning signal. Try a gain closer to 1.");
            Expect.Written(explanation, "recurrentGainExplanation", 8);
            return $"with g = {g} the gradient 30 steps back is {shown} times the last step's (about g^30 = {Math.Pow(g, 30).ToString("G3", CultureInfo.InvariantCulture)}); compare your explanation with the solution.";
        });

    /// <summary>The chapter's probe: |dL/dh_0| / |dL/dh_T| through <paramref name="steps"/> steps of <c>h = tanh(h · gQ)</c> from a tiny state.</summary>
    internal static double GradientRatio(double gain, int steps)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(45);
        var (Q, _) = linalg.qr(randn(64, 64, generator: generator));
        var probe = randn(64, generator: generator);
        probe /= probe.norm();
        var h0 = (randn(1, 64, generator: generator) * 1e-6).requires_grad_();
        var h = h0;
        for (var t = 0; t < steps; t++) h = tanh(h.matmul(Q * gain));
        var grad = autograd.grad([(h * probe).sum()], [h0])[0];
        return grad.norm().item<float>();   // |dL/dh_T| = |probe| = 1
    }
}
