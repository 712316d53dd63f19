using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>The two noise schedules of chapter 09.</summary>
public enum NoiseSchedule
{
    /// <summary>Ho et al. (2020): <c>β_t</c> rising linearly from 1e-4 to 0.02 over 1,000 steps (scaled for other step counts).</summary>
    Linear,

    /// <summary>Nichol &amp; Dhariwal (2021): <c>ᾱ_t = f(t) / f(0)</c> with <c>f(t) = cos²((t/T + s) / (1 + s) · π/2)</c>, <c>s = 0.008</c>.</summary>
    Cosine,
}

/// <summary>Hyperparameters of <see cref="Ddpm"/>.</summary>
/// <param name="Steps">Number of diffusion steps <c>T</c>.</param>
/// <param name="Schedule">The noise schedule.</param>
/// <param name="LabelDropout">For a class-conditional network: the share of training labels replaced by "no class", so one
/// network learns both the conditional and the unconditional noise (classifier-free guidance, Ho &amp; Salimans 2022).</param>
/// <remarks>Introduced in chapter 09 (diffusion models).</remarks>
public sealed record DdpmConfig(int Steps = 1000, NoiseSchedule Schedule = NoiseSchedule.Linear, double LabelDropout = 0.2);

/// <summary>
/// A denoising diffusion probabilistic model (Ho et al. 2020) around a noise-predicting <see cref="UNet"/>: the
/// forward process <c>q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I)</c> in closed form, the training objective
/// <c>‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖²</c> with <c>t</c> uniform, ancestral sampling, DDIM sampling with fewer
/// steps (Song et al. 2021), and classifier-free guidance (Ho &amp; Salimans 2022).
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models), where each piece is first written out in the notebook. Images live in
/// [-1, 1] inside the process: <see cref="TrainingStep"/> takes batches in [0, 1] and rescales them, and the samplers
/// return images in [0, 1]. Time steps are 0-based: <c>t = 0 … T−1</c>, <c>ᾱ_t = ∏_{s ≤ t} (1 − β_s)</c>.
/// </remarks>
public sealed class Ddpm : IDisposable
{
    /// <summary>Creates the process around a network.</summary>
    /// <param name="model">The noise-predicting network.</param>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public Ddpm(UNet model, DdpmConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Config = config ?? new DdpmConfig();
        if (Config.Steps < 2) throw new ArgumentOutOfRangeException(nameof(config), Config.Steps, "DdpmConfig.Steps (the number of diffusion steps T) must be at least 2.");
        if (Config.LabelDropout is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(config), Config.LabelDropout, "LabelDropout must lie in [0, 1].");
        Betas = Schedule(Config.Schedule, Config.Steps);
        Alphas = 1 - Betas;
        AlphaBars = Alphas.cumprod(0);
    }

    /// <summary>The network.</summary>
    public UNet Model { get; }

    /// <summary>The hyperparameters.</summary>
    public DdpmConfig Config { get; }

    /// <summary>Number of steps <c>T</c>.</summary>
    public int Steps => Config.Steps;

    /// <summary>The noise variances <c>β_t</c>, <c>(T)</c>, float32.</summary>
    public Tensor Betas { get; }

    /// <summary><c>α_t = 1 − β_t</c>, <c>(T)</c>.</summary>
    public Tensor Alphas { get; }

    /// <summary><c>ᾱ_t = ∏_{s ≤ t} α_s</c>, <c>(T)</c>: the share of the signal's variance left at step <c>t</c>.</summary>
    public Tensor AlphaBars { get; }

    /// <summary>The <c>β_t</c> of a schedule.</summary>
    /// <param name="schedule">Linear or cosine.</param>
    /// <param name="steps">Number of steps <c>T</c> (at least 2).</param>
    /// <returns><c>β_0 … β_{T−1}</c>, float32.</returns>
    public static Tensor Schedule(NoiseSchedule schedule, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        using var scope = NewDisposeScope();
        Tensor betas;
        if (schedule == NoiseSchedule.Linear)
        {
            var scale = 1000.0 / steps;                                             // keeps ᾱ_T near 0 for any T
            betas = linspace(scale * 1e-4, Math.Min(scale * 0.02, 0.999), steps, dtype: float64);
        }
        else
        {
            const double s = 0.008;
            var f = (arange(steps + 1, dtype: float64) / steps + s) / (1 + s) * (Math.PI / 2);
            var alphaBar = f.cos().square();
            alphaBar = alphaBar / alphaBar[0];                                    // (T+1): ᾱ at t = 0 … T
            betas = (1 - alphaBar[1..] / alphaBar[..^1]).clamp(0, 0.999);          // β_t = 1 − ᾱ_t / ᾱ_{t−1}
        }
        return betas.to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>Gathers per-image schedule values and shapes them to broadcast over images.</summary>
    private static Tensor At(Tensor values, Tensor t, Tensor like) =>
        values.to(like.device).index_select(0, t.to(int64).to(like.device)).reshape(-1, 1, 1, 1);   // (B, 1, 1, 1)

    /// <summary>Draws <c>x_t ~ q(x_t | x_0)</c> in one step: <c>√ᾱ_t x_0 + √(1 − ᾱ_t) ε</c>.</summary>
    /// <param name="x0">Clean images <c>(B, C, H, W)</c> in [-1, 1].</param>
    /// <param name="t">Time steps <c>(B)</c>.</param>
    /// <param name="noise">The noise <c>ε</c>, shaped like <paramref name="x0"/>.</param>
    /// <returns>The noisy images <c>x_t</c>.</returns>
    public Tensor QSample(Tensor x0, Tensor t, Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(noise);
        using var scope = NewDisposeScope();
        var alphaBar = At(AlphaBars, t, x0);                                        // (B, 1, 1, 1)
        return (alphaBar.sqrt() * x0 + (1 - alphaBar).sqrt() * noise).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training objective on one batch: draw <c>t</c> uniformly and <c>ε ~ N(0, I)</c>, noise the images in one step,
    /// and return the mean squared error of the network's noise prediction (Ho et al.'s <c>L_simple</c>).
    /// </summary>
    /// <param name="x0">Clean images <c>(B, C, H, W)</c> in [-1, 1].</param>
    /// <param name="labels">Class labels <c>(B)</c> for a conditional network (a <see cref="DdpmConfig.LabelDropout"/> share is
    /// replaced by "no class"); <c>null</c> for an unconditional one.</param>
    /// <returns>The scalar loss.</returns>
    public Tensor Loss(Tensor x0, Tensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(x0);
        using var scope = NewDisposeScope();
        var t = randint(0, Steps, [x0.shape[0]], dtype: int64, device: x0.device);   // (B)
        var noise = randn_like(x0);                                                   // (B, C, H, W)
        var xt = QSample(x0, t, noise);
        if (labels is not null && Model.IsConditional && Config.LabelDropout > 0)
        {
            var drop = rand(labels.shape, device: labels.device).lt(Config.LabelDropout);
            labels = labels.to(int64).masked_fill(drop, Model.NullLabel);
        }
        var predicted = Model.call(xt, t, Model.IsConditional ? labels : null);
        return nn.functional.mse_loss(predicted, noise).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A <see cref="Training.TrainStep"/> for <see cref="Training.Trainer"/>: batches of images in [0, 1] (and, for a
    /// conditional network, their labels) are rescaled to [-1, 1] and trained on <see cref="Loss"/>.
    /// </summary>
    /// <param name="context">The trainer's step context.</param>
    /// <returns>The batch's loss.</returns>
    public Training.StepResult TrainingStep(Training.StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Optimizer.zero_grad();
        var x0 = context.X * 2 - 1;
        var loss = Loss(x0, Model.IsConditional && context.HasLabels ? context.Y : null);
        var value = Training.StepContext.ReadLoss(loss);
        context.CheckFinite(value);
        loss.backward();
        context.ClipGradients(Model.parameters());
        context.Optimizer.step();
        return new Training.StepResult(value);
    }

    /// <summary>
    /// The network's noise prediction, with classifier-free guidance for a conditional network:
    /// <c>ε = ε(x, t, ∅) + s (ε(x, t, y) − ε(x, t, ∅))</c>; <c>s = 1</c> is the plain conditional prediction, <c>s = 0</c>
    /// the unconditional one, <c>s &gt; 1</c> pushes further towards the class.
    /// </summary>
    /// <param name="x">Noisy images <c>(B, C, H, W)</c>.</param>
    /// <param name="t">Time steps <c>(B)</c>.</param>
    /// <param name="labels">Labels <c>(B)</c>, or <c>null</c> for unconditional prediction.</param>
    /// <param name="guidance">The guidance scale <c>s</c> (ignored without labels).</param>
    /// <returns>Predicted noise, shaped like <paramref name="x"/>.</returns>
    public Tensor PredictNoise(Tensor x, Tensor t, Tensor? labels = null, double guidance = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t);
        if (labels is null || !Model.IsConditional) return Model.call(x, t, null);
        if (guidance == 1) return Model.call(x, t, labels);
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        var both = Model.call(cat([x, x]), cat([t, t]), cat([labels.to(int64), full(n, Model.NullLabel, dtype: int64, device: labels.device)]));   // one batch of 2B
        var conditional = both[..(int)n];
        var unconditional = both[(int)n..];
        return (unconditional + guidance * (conditional - unconditional)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Ancestral sampling (Ho et al.'s Algorithm 2): start from <c>x_{T−1} ~ N(0, I)</c> and step down to <c>t = 0</c> with
    /// <c>x_{t−1} = (x_t − β_t / √(1 − ᾱ_t) ε_θ) / √α_t + σ_t z</c>, <c>σ_t² = β_t</c>, no noise at the last step.
    /// </summary>
    /// <param name="count">Number of images.</param>
    /// <param name="labels">Class labels <c>(count)</c>, or <c>null</c> for unconditional samples.</param>
    /// <param name="guidance">Classifier-free guidance scale (see <see cref="PredictNoise"/>).</param>
    /// <param name="generator">Random-number generator for the starting noise and every step's <c>z</c>; <c>null</c> uses the global one.</param>
    /// <param name="onStep">Called after every step with <c>t</c> and the current images in [-1, 1] (to show the chain).</param>
    /// <param name="imageShape">Shape of one image; <c>null</c> means <c>(Channels, 28, 28)</c>.</param>
    /// <returns>Images <c>(count, C, H, W)</c> in [0, 1].</returns>
    public Tensor Sample(int count, Tensor? labels = null, double guidance = 1, Generator? generator = null,
        Action<int, Tensor>? onStep = null, long[]? imageShape = null)
    {
        var shape = Shape(count, labels, imageShape);
        var was = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            var x = randn(shape, generator: generator);
            for (var t = Steps - 1; t >= 0; t--)
            {
                using var scope = NewDisposeScope();
                var ts = full(count, t, dtype: int64);
                var eps = PredictNoise(x, ts, labels, guidance);
                var alpha = Alphas[t].item<float>();
                var beta = Betas[t].item<float>();
                var alphaBar = AlphaBars[t].item<float>();
                var mean = (x - beta / Math.Sqrt(1 - alphaBar) * eps) / Math.Sqrt(alpha);
                var next = t > 0 ? mean + Math.Sqrt(beta) * randn(shape, generator: generator) : mean;
                x.Dispose();
                x = next.MoveToOuterDisposeScope();
                onStep?.Invoke(t, x);
            }
            return ((x.clamp(-1, 1) + 1) / 2).MoveToOuterDisposeScope();
        }
        finally
        {
            Model.train(was);
        }
    }

    /// <summary>
    /// DDIM sampling (Song et al. 2021) with <c>η = 0</c>, deterministic given the starting noise, over <paramref name="steps"/>
    /// time steps evenly spaced in <c>[0, T)</c>: at each, predict <c>x_0 = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t</c> and move to the
    /// previous chosen step, <c>x_s = √ᾱ_s x_0 + √(1 − ᾱ_s) ε</c>.
    /// </summary>
    /// <param name="count">Number of images.</param>
    /// <param name="steps">Number of network evaluations (1 … T).</param>
    /// <param name="labels">Class labels <c>(count)</c>, or <c>null</c>.</param>
    /// <param name="guidance">Classifier-free guidance scale.</param>
    /// <param name="generator">Random-number generator for the starting noise; <c>null</c> uses the global one.</param>
    /// <param name="imageShape">Shape of one image; <c>null</c> means <c>(Channels, 28, 28)</c>.</param>
    /// <returns>Images <c>(count, C, H, W)</c> in [0, 1].</returns>
    public Tensor SampleDdim(int count, int steps, Tensor? labels = null, double guidance = 1, Generator? generator = null, long[]? imageShape = null)
    {
        if (steps < 1 || steps > Steps)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"DDIM needs between 1 and T = {Steps} steps.");
        var shape = Shape(count, labels, imageShape);
        var times = Enumerable.Range(0, steps).Select(i => (int)Math.Round((double)i * (Steps - 1) / Math.Max(1, steps - 1))).Distinct().Reverse().ToArray();
        if (steps == 1) times = [Steps - 1];
        var was = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            var x = randn(shape, generator: generator);
            for (var i = 0; i < times.Length; i++)
            {
                using var scope = NewDisposeScope();
                var t = times[i];
                var eps = PredictNoise(x, full(count, t, dtype: int64), labels, guidance);
                var alphaBar = AlphaBars[t].item<float>();
                var x0 = ((x - Math.Sqrt(1 - alphaBar) * eps) / Math.Sqrt(alphaBar)).clamp(-1, 1);
                var next = i + 1 < times.Length
                    ? Math.Sqrt(AlphaBars[times[i + 1]].item<float>()) * x0 + Math.Sqrt(1 - AlphaBars[times[i + 1]].item<float>()) * eps
                    : x0;
                x.Dispose();
                x = next.MoveToOuterDisposeScope();
            }
            return ((x.clamp(-1, 1) + 1) / 2).MoveToOuterDisposeScope();
        }
        finally
        {
            Model.train(was);
        }
    }

    private long[] Shape(int count, Tensor? labels, long[]? imageShape)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (labels is not null && labels.shape[0] != count)
            throw new ArgumentException($"{labels.shape[0]} labels for {count} images: pass one label per image.", nameof(labels));
        if (labels is not null && !Model.IsConditional)
            throw new ArgumentException("This model is unconditional: sample it with labels = null.", nameof(labels));
        var one = imageShape ?? [Model.Config.Channels, 28, 28];
        return [count, .. one];
    }

    /// <summary>Disposes the schedule tensors (not the network).</summary>
    public void Dispose()
    {
        Betas.Dispose();
        Alphas.Dispose();
        AlphaBars.Dispose();
    }
}
