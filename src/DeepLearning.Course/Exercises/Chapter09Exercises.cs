using System.Globalization;
using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 09's exercises (diffusion models): the closed-form noising <c>q(x_t | x_0)</c>, one DDIM step, a
/// prediction about the linear schedule's last <c>ᾱ</c> and first signal-to-noise ratio, a small noise predictor that
/// reads the time step, and the classifier-free guidance scale that trades diversity for class agreement (and why).
/// </summary>
/// <remarks>Introduced in chapter 09 (diffusion models), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter09Exercises
{
    /// <summary>Exercise 09.1: <c>x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε</c> for a batch, each image at its own <c>t</c>.</summary>
    /// <param name="qSample">The learner's function: x0 <c>(B, C, H, W)</c>, t <c>(B)</c> int64, noise like x0, alphaBars <c>(T)</c> → x_t like x0.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict QSample(Func<Tensor, Tensor, Tensor, Tensor, Tensor> qSample) =>
        Exercise.Check("09.1", "noise an image in one step", () =>
        {
            Expect.That(qSample is not null, "pass your function: Chapter09Exercises.QSample(QSample);");
            using var scope = NewDisposeScope();
            using var ddpm = new Ddpm(new UNet(new UNetConfig(Width: 4, Groups: 2)));
            var g = new Generator(91);
            var x0 = rand([4, 1, 6, 6], generator: g) * 2 - 1;
            var noise = randn([4, 1, 6, 6], generator: g);
            var t = tensor(new long[] { 0, 99, 500, 999 });
            var expected = ddpm.QSample(x0, t, noise);
            var got = qSample!(x0.clone(), t.clone(), noise.clone(), ddpm.AlphaBars.clone());
            const string what = "your x_t for four images at t = 0, 99, 500, 999";
            Expect.Shape(got, [4, 1, 6, 6], what + " (one ᾱ_t per image: reshape the gathered ᾱ to (B, 1, 1, 1) so it broadcasts)");
            var ab = ddpm.AlphaBars.index_select(0, t).reshape(-1, 1, 1, 1);
            Mistakes.If(got, ab * x0 + (1 - ab) * noise, expected, $"{what} scales by ᾱ_t and 1 − ᾱ_t: those are the variances; the image and the noise are scaled by their square roots.");
            Mistakes.If(got, ab.sqrt() * x0 + (1 - ab) * noise, expected, $"{what} scales the noise by 1 − ᾱ_t, its variance: scale it by √(1 − ᾱ_t) so that x_t keeps unit variance.");
            var abBefore = ddpm.AlphaBars.index_select(0, (t - 1).clamp_min(0)).reshape(-1, 1, 1, 1);
            Mistakes.If(got, abBefore.sqrt() * x0 + (1 - abBefore).sqrt() * noise, expected, $"{what} uses ᾱ_(t−1): time steps are 0-based here, x_t takes ᾱ_t = alphaBars[t].");
            Expect.Close(got, expected, what);
            return "your x_t equals Ddpm.QSample: √ᾱ_t x_0 + √(1 − ᾱ_t) ε, nearly the image at t = 0 and nearly pure noise at t = 999. One multiplication replaces t noising steps because a sum of Gaussians is a Gaussian.";
        });

    /// <summary>
    /// Exercise 09.2: one deterministic DDIM step (η = 0): <c>x̂_0 = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t</c>, then
    /// <c>x_prev = √ᾱ_prev x̂_0 + √(1 − ᾱ_prev) ε</c> (no clamping).
    /// </summary>
    /// <param name="step">The learner's function: x_t, predicted ε, ᾱ_t, ᾱ_prev → x_prev.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict DdimStep(Func<Tensor, Tensor, double, double, Tensor> step) =>
        Exercise.Check("09.2", "one DDIM step", () =>
        {
            Expect.That(step is not null, "pass your function: Chapter09Exercises.DdimStep(DdimStep);");
            using var scope = NewDisposeScope();
            var g = new Generator(92);
            var cases = new (double At, double Prev, string Name)[]
            {
                (0.3, 0.8, "ᾱ_t = 0.3 to ᾱ_prev = 0.8"),
                (0.0005, 0.05, "a first step from nearly pure noise, ᾱ_t = 0.0005 to ᾱ_prev = 0.05"),
                (0.9, 1.0, "a last step to ᾱ_prev = 1, where x_prev is the predicted x̂_0"),
            };
            foreach (var (at, prev, name) in cases)
            {
                var x = randn([3, 1, 5, 5], generator: g);
                var eps = randn([3, 1, 5, 5], generator: g);
                var expected = Reference(x, eps, at, prev);
                var got = step!(x.clone(), eps.clone(), at, prev);
                var what = $"for {name} your x_prev";
                Expect.Shape(got, [3, 1, 5, 5], what);
                var x0 = (x - Math.Sqrt(1 - at) * eps) / Math.Sqrt(at);
                if (prev < 1) Mistakes.If(got, Math.Sqrt(prev) * x0, expected, $"{what} is √ᾱ_prev x̂_0 alone: DDIM puts the predicted noise back, scaled by √(1 − ᾱ_prev), so x_prev has the noise level of its step.");
                Mistakes.If(got, Reference(x, eps, prev, at), expected, $"{what} swaps ᾱ_t and ᾱ_prev: remove the noise with ᾱ_t (where x_t is), add it back with ᾱ_prev (where you go).");
                Mistakes.If(got, Math.Sqrt(prev) * ((x - (1 - at) * eps) / Math.Sqrt(at)) + Math.Sqrt(1 - prev) * eps, expected, $"{what} removes (1 − ᾱ_t) ε: x_t holds √(1 − ᾱ_t) ε.");
                Expect.Close(got, expected, what);
            }
            return "your step removes the predicted noise with ᾱ_t (x̂_0), then re-noises x̂_0 to ᾱ_prev with the same ε: no fresh randomness, so the whole DDIM chain is a deterministic function of its starting noise, and it can skip steps because only ᾱ enters.";
        });

    private static Tensor Reference(Tensor x, Tensor eps, double at, double prev) =>
        Math.Sqrt(prev) * ((x - Math.Sqrt(1 - at) * eps) / Math.Sqrt(at)) + Math.Sqrt(1 - prev) * eps;

    /// <summary>Exercise 09.3: predict ᾱ at the last step of the linear schedule (T = 1000), and the signal-to-noise ratio ᾱ/(1 − ᾱ) at t = 0.</summary>
    /// <param name="predictedLastAlphaBar">The learner's ᾱ_999 (null: not answered yet).</param>
    /// <param name="predictedFirstSnr">The learner's SNR at t = 0 (null: not answered yet).</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict PredictSchedule(double? predictedLastAlphaBar, double? predictedFirstSnr) =>
        Exercise.Check("09.3", "predict the linear schedule's ends", () =>
        {
            var last = Expect.Answered(predictedLastAlphaBar, "predictedLastAlphaBar");
            var snr = Expect.Answered(predictedFirstSnr, "predictedFirstSnr");
            double lastAlphaBar, firstSnr;
            using (var betas = Ddpm.Schedule(NoiseSchedule.Linear, 1000))
            using (var alphaBars = (1 - betas.to(float64)).cumprod(0))
            {
                lastAlphaBar = alphaBars[999].item<double>();
                firstSnr = alphaBars[0].item<double>() / (1 - alphaBars[0].item<double>());
            }
            Mistakes.If(last, 0.98, lastAlphaBar, $"predictedLastAlphaBar {Show(last)} is 1 − β_999 = α_999 alone: ᾱ_999 is the product of all 1,000 factors α_s = 1 − β_s.", relative: 1e-2);
            Expect.That(last > 0, $"predictedLastAlphaBar {Show(last)} is not positive: ᾱ is a product of numbers between 0 and 1, so it shrinks but never reaches 0 (nor goes below). Use ln ᾱ = Σ ln(1 − β_s) ≈ −Σ β_s.");
            Expect.That(last < 1e-2, $"predictedLastAlphaBar {Show(last)} is far too large: Σ β_s = 1000 · (0.0001 + 0.02) / 2 ≈ 10, and ln ᾱ ≈ −Σ β_s.");
            Expect.That(Math.Abs(Math.Log(last / lastAlphaBar)) < Math.Log(1.5), $"predictedLastAlphaBar {Show(last)}: not within a factor 1.5 of the schedule's ᾱ_999. Hint: ln ᾱ ≈ −Σ β_s, the sum of an arithmetic series.");
            Mistakes.If(snr, 1 / firstSnr, firstSnr, $"predictedFirstSnr {Show(snr)} is the noise-to-signal ratio (1 − ᾱ_0)/ᾱ_0: turn it over.", relative: 5e-2);
            Mistakes.If(snr, Math.Sqrt(firstSnr), firstSnr, $"predictedFirstSnr {Show(snr)} is a ratio of standard deviations, √ᾱ/√(1 − ᾱ): the SNR here is the ratio of variances.", relative: 5e-2);
            Expect.Close(snr, firstSnr, "predictedFirstSnr (ᾱ_0 = 1 − β_0 = 0.9999)", relative: 0.02, absolute: 0);
            return $"ᾱ_999 = {lastAlphaBar:E2} (ln ᾱ ≈ −Σ β = −10.05 gives {Math.Exp(-10.05):E2}): the last step is noise with a trace of signal, √ᾱ ≈ {Math.Sqrt(lastAlphaBar):F4}. At t = 0 the SNR is 0.9999 / 0.0001 ≈ {firstSnr:F0}: the first step barely touches the image. Between them the SNR falls by eight orders of magnitude, which is why the chapter plots it on a log scale.";
        });

    private static string Show(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>
    /// Exercise 09.4: a small noise predictor for 28x28 grey images that reads the time step: a module from
    /// <c>(x (B, 1, 28, 28), t (B) int64)</c> to predicted noise <c>(B, 1, 28, 28)</c>, built for <c>steps</c> = T.
    /// </summary>
    /// <param name="make">The learner's factory: T → the module.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict NoisePredictor(Func<int, nn.Module<Tensor, Tensor, Tensor>> make) =>
        Exercise.Check("09.4", "a noise predictor that reads t", () =>
        {
            Expect.That(make is not null, "pass your factory: Chapter09Exercises.NoisePredictor(MakeNoisePredictor);");
            const int steps = 1000;
            using var scope = NewDisposeScope();
            using var grad = enable_grad();   // the check needs gradients whatever mode the notebook left on
            var model = make!(steps);
            Expect.That(model is not null, "MakeNoisePredictor returned null: return your module.");
            var x = randn([4, 1, 28, 28], generator: new Generator(94));
            var t = tensor(new long[] { 0, 10, 500, 999 });
            var eps = model!.call(x, t);
            Expect.Shape(eps, [4, 1, 28, 28], "your predicted noise for 4 images (B, 1, 28, 28) at t = 0, 10, 500, 999");
            var count = Expect.CountParameters(model);
            Expect.That(count is > 0 and <= 2_000_000, $"your predictor has {count} parameters; keep it small (at most 2,000,000): the chapter's U-Net has about 126,000. {Expect.DescribeParameters(model)}");
            var early = model.call(x, zeros(4, dtype: int64));
            var late = model.call(x, full(4, steps - 1L, dtype: int64));
            Expect.That(!early.allclose(late, rtol: 1e-4, atol: 1e-6), "your predictor gives the same output at t = 0 and t = 999: it ignores t. The same x_t calls for different noise at different noise levels; embed t (e.g. UNet.TimeEmbedding, or t / T) and add it to the features.");
            var other = model.call(x + 1, t);
            Expect.That(!other.allclose(eps, rtol: 1e-4, atol: 1e-6), "your predictor gives the same output for different images: the noise must depend on x.");
            model.zero_grad();
            var target = randn([4, 1, 28, 28], generator: new Generator(95));
            nn.functional.mse_loss(model.call(x, t), target).backward();
            foreach (var (name, p) in model.named_parameters())
                Expect.That(p.grad is not null && !p.grad.eq(0).all().item<bool>(), $"parameter '{name}' gets no gradient from the noise-prediction loss: every parameter should take part.");
            return $"(4, 1, 28, 28) in and out, {count} parameters that all get a gradient, and the output changes with t and with x. Without t the network would have to guess the noise level from the image alone; with it, one network serves all {steps} steps.";
        });

    /// <summary>
    /// Exercise 09.5: a classifier-free guidance scale at which at least 95% of samples land on their class's side. The check
    /// runs DDIM with the exact noise predictions of a toy problem (pixel values from two Gaussian classes N(∓1, 1)),
    /// so no trained model is needed, and reports the samples' spread.
    /// </summary>
    /// <param name="scale">The learner's guidance scale s (null: not answered yet).</param>
    /// <param name="explanation">Why agreement rises and diversity falls, in a sentence or two.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict GuidanceScale(double? scale, string explanation) =>
        Exercise.Check("09.5", "the guidance scale that trades diversity for agreement", () =>
        {
            var s = Expect.Answered(scale, "guidanceScale");
            Expect.That(s is >= 0 and <= 50, $"guidanceScale = {Show(s)}: choose a guidance scale between 0 and 50.");
            var (agreement1, spread1) = GuidedToy(1);
            var (agreement, spread) = GuidedToy(s);
            Expect.That(s >= 1 || agreement >= 0.95, $"guidanceScale = {Show(s)} is below 1: it moves the prediction towards the unconditional one, and fewer samples match their label ({agreement:P1} against {agreement1:P1} at s = 1).");
            Expect.That(agreement >= 0.95, $"with guidanceScale = {Show(s)} {agreement:P1} of the samples land on their class's side (at s = 1: {agreement1:P1}); raise the scale until at least 95% do.");
            Expect.Written(explanation, "guidanceExplanation");
            return $"with s = {Show(s)}, {agreement:P1} of the samples agree with their label (s = 1: {agreement1:P1}), but their spread within a class is {spread:F2} instead of {spread1:F2} (the data's is 1): guidance adds s − 1 times the difference between the conditional and the unconditional noise, i.e. it follows ∇ log p(y | x) s − 1 times harder, which pushes samples to where the class is most certain, away from the other class and towards a few typical values. Compare your explanation with the solution.";
        });

    /// <summary>
    /// DDIM (50 steps, linear schedule, T = 1000) with exact noise predictions for pixel values from two classes N(−1, 1)
    /// and N(1, 1) and guidance scale <paramref name="scale"/>: the share of 4,000 samples on their class's side and the
    /// samples' standard deviation within a class.
    /// </summary>
    private static (double Agreement, double Spread) GuidedToy(double scale)
    {
        using var scope = NewDisposeScope();
        const int n = 4000, ddimSteps = 50, T = 1000;
        var signs = (arange(n, dtype: float64).remainder(2) * 2 - 1);                  // class −1 or +1, alternating
        using var betas = Ddpm.Schedule(NoiseSchedule.Linear, T);
        var alphaBars = (1 - betas.to(float64)).cumprod(0).data<double>().ToArray();
        var times = Enumerable.Range(0, ddimSteps).Select(i => (int)Math.Round((double)i * (T - 1) / (ddimSteps - 1))).Reverse().ToArray();
        var x = randn([n], dtype: float64, generator: new Generator(95));
        for (var i = 0; i < times.Length; i++)
        {
            var ab = alphaBars[times[i]];
            var root = Math.Sqrt(ab);
            var variance = ab + 1 - ab;                                                   // of x_t given a class: ab σ0² + 1 − ab with σ0 = 1
            Tensor PosteriorMean(Tensor m) => m + root / variance * (x - root * m);       // E[x0 | x_t, class with mean m]
            var conditional = PosteriorMean(signs);
            var logitPlus = (-(x - root).square() + (x + root).square()) / (2 * variance);  // log p(+ | x_t) − log p(− | x_t)
            var pPlus = sigmoid(logitPlus);
            var unconditional = pPlus * PosteriorMean(ones_like(x)) + (1 - pPlus) * PosteriorMean(-ones_like(x));
            var epsC = (x - root * conditional) / Math.Sqrt(1 - ab);
            var epsU = (x - root * unconditional) / Math.Sqrt(1 - ab);
            var eps = epsU + scale * (epsC - epsU);
            var prev = i + 1 < times.Length ? alphaBars[times[i + 1]] : 1.0;
            x = Reference(x, eps, ab, prev);
        }
        var agreement = (x * signs).gt(0).to(float64).mean().item<double>();
        var spread = (x - signs * (x * signs).mean()).std().item<double>();
        return (agreement, spread);
    }
}
