using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>The two noise schedules of chapter 09.</summary>
/// <remarks>Introduced in chapter 09 (diffusion models).</remarks>
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
/// <param name="EmaDecay">Decay of an exponential moving average of the network's weights, updated after every training
/// step and used for sampling (Ho et al. use 0.9999); 0 samples with the trained weights themselves.</param>
public sealed record DdpmConfig(int Steps = 1000, NoiseSchedule Schedule = NoiseSchedule.Linear, double LabelDropout = 0.2, double EmaDecay = 0);

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
        if (Config.EmaDecay is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), Config.EmaDecay, "EmaDecay must lie in [0, 1).");
        if (Config.EmaDecay > 0)
        {
            Averaged = new UNet(model.Config);
            Averaged.to(model.parameters().First().device);
            CopyWeights(model, Averaged);
            Averaged.eval();
        }
        Betas = Schedule(Config.Schedule, Config.Steps);
        Alphas = 1 - Betas;
        AlphaBars = Alphas.cumprod(0);
    }

    /// <summary>The network.</summary>
    public UNet Model { get; }

    /// <summary>The hyperparameters.</summary>
    public DdpmConfig Config { get; }

    /// <summary>The moving average of <see cref="Model"/>'s weights (<see cref="DdpmConfig.EmaDecay"/> &gt; 0), else <c>null</c>.</summary>
    public UNet? Averaged { get; }

    /// <summary>The network the samplers and <see cref="PredictNoise"/> use: <see cref="Averaged"/> if kept, else <see cref="Model"/>.</summary>
    public UNet Sampler => Averaged ?? Model;

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
        UpdateAverage();
        return new Training.StepResult(value);
    }

    /// <summary>Updates of the moving average so far.</summary>
    public int AverageUpdates { get; private set; }

    /// <summary>
    /// One update of the moving average: <c>θ̄ ← d θ̄ + (1 − d) θ</c> with <c>d = min(EmaDecay, (1 + n) / (10 + n))</c> after
    /// <c>n</c> updates, so the average follows the weights closely early on and settles to the configured decay (nothing without one).
    /// </summary>
    public void UpdateAverage()
    {
        if (Averaged is null) return;
        using var noGrad = no_grad();
        var decay = Math.Min(Config.EmaDecay, (1.0 + AverageUpdates) / (10.0 + AverageUpdates));
        AverageUpdates++;
        foreach (var (average, current) in Averaged.parameters().Zip(Model.parameters()))
            average.mul_(decay).add_(current, alpha: 1 - decay);
    }

    private static void CopyWeights(UNet from, UNet to)
    {
        using var noGrad = no_grad();
        foreach (var (target, source) in to.parameters().Zip(from.parameters())) target.copy_(source);
    }

    /// <summary>
    /// The noise prediction of <see cref="Sampler"/>, with classifier-free guidance for a conditional network:
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
        var net = Sampler;
        if (labels is null || !net.IsConditional) return net.call(x, t, null);
        if (guidance == 1) return net.call(x, t, labels);
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        var both = net.call(cat([x, x]), cat([t, t]), cat([labels.to(int64), full(n, net.NullLabel, dtype: int64, device: labels.device)]));   // one batch of 2B
        var conditional = both[..(int)n];
        var unconditional = both[(int)n..];
        return (unconditional + guidance * (conditional - unconditional)).MoveToOuterDisposeScope();
    }

    /// <summary>Images sampled per batch: bounds memory (a U-Net forward pass keeps every activation of its batch).</summary>
    public const int SampleBatch = 250;

    /// <summary>
    /// Ancestral sampling (Ho et al.'s Algorithm 2): start from <c>x_{T−1} ~ N(0, I)</c> and step down to <c>t = 0</c> with
    /// <c>x_{t−1} = (x_t − β_t / √(1 − ᾱ_t) ε_θ) / √α_t + σ_t z</c>, <c>σ_t² = β_t</c>, no noise at the last step.
    /// Images are sampled in batches of <see cref="SampleBatch"/>, one after the other.
    /// </summary>
    /// <param name="count">Number of images.</param>
    /// <param name="labels">Class labels <c>(count)</c>, or <c>null</c> for unconditional samples.</param>
    /// <param name="guidance">Classifier-free guidance scale (see <see cref="PredictNoise"/>).</param>
    /// <param name="generator">Random-number generator for the starting noise and every step's <c>z</c>; <c>null</c> uses the global one.</param>
    /// <param name="onStep">Called after every step with <c>t</c> and the current batch in [-1, 1] (to show the chain).</param>
    /// <param name="imageShape">Shape of one image; <c>null</c> means <c>(Channels, 28, 28)</c>.</param>
    /// <returns>Images <c>(count, C, H, W)</c> in [0, 1].</returns>
    public Tensor Sample(int count, Tensor? labels = null, double guidance = 1, Generator? generator = null,
        Action<int, Tensor>? onStep = null, long[]? imageShape = null)
    {
        Shape(count, labels, imageShape);
        return Batched(count, labels, (n, y) =>
        {
            var shape = Shape(n, y, imageShape);
            var x = randn(shape, generator: generator);
            for (var t = Steps - 1; t >= 0; t--)
            {
                using var scope = NewDisposeScope();
                var eps = PredictNoise(x, full(n, t, dtype: int64), y, guidance);
                var alpha = Alphas[t].item<float>();
                var beta = Betas[t].item<float>();
                var alphaBar = AlphaBars[t].item<float>();
                var mean = (x - beta / Math.Sqrt(1 - alphaBar) * eps) / Math.Sqrt(alpha);
                var next = t > 0 ? mean + Math.Sqrt(beta) * randn(shape, generator: generator) : mean;
                x.Dispose();
                x = next.MoveToOuterDisposeScope();
                onStep?.Invoke(t, x);
            }
            return x;
        });
    }

    /// <summary>
    /// DDIM sampling (Song et al. 2021) with <c>η = 0</c>, deterministic given the starting noise, over <paramref name="steps"/>
    /// time steps evenly spaced in <c>[0, T)</c>: at each, predict <c>x_0 = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t</c>, clip it to [-1, 1]
    /// (and take the noise that the clipped <c>x_0</c> implies), and move to the previous chosen step,
    /// <c>x_s = √ᾱ_s x_0 + √(1 − ᾱ_s) ε</c>. Images are sampled in batches of <see cref="SampleBatch"/>.
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
        Shape(count, labels, imageShape);
        var times = steps == 1
            ? [Steps - 1]
            : Enumerable.Range(0, steps).Select(i => (int)Math.Round((double)i * (Steps - 1) / (steps - 1))).Distinct().Reverse().ToArray();
        return Batched(count, labels, (n, y) =>
        {
            var x = randn(Shape(n, y, imageShape), generator: generator);
            for (var i = 0; i < times.Length; i++)
            {
                using var scope = NewDisposeScope();
                var t = times[i];
                var eps = PredictNoise(x, full(n, t, dtype: int64), y, guidance);
                var alphaBar = AlphaBars[t].item<float>();
                var x0 = ((x - Math.Sqrt(1 - alphaBar) * eps) / Math.Sqrt(alphaBar)).clamp(-1, 1);
                eps = (x - Math.Sqrt(alphaBar) * x0) / Math.Sqrt(1 - alphaBar);            // the noise the clipped x_0 implies
                Tensor next = x0;
                if (i + 1 < times.Length)
                {
                    var previous = AlphaBars[times[i + 1]].item<float>();
                    next = Math.Sqrt(previous) * x0 + Math.Sqrt(1 - previous) * eps;
                }
                x.Dispose();
                x = next.MoveToOuterDisposeScope();
            }
            return x;
        });
    }

    /// <summary>Runs a sampler on batches of at most <see cref="SampleBatch"/> images with the network in evaluation mode, then rescales to [0, 1].</summary>
    private Tensor Batched(int count, Tensor? labels, Func<int, Tensor?, Tensor> sample)
    {
        var net = Sampler;
        var was = net.training;
        net.eval();
        try
        {
            using var noGrad = no_grad();
            var parts = new List<Tensor>();
            for (var start = 0; start < count; start += SampleBatch)
            {
                var n = Math.Min(SampleBatch, count - start);
                using var scope = NewDisposeScope();
                var x = sample(n, labels?.narrow(0, start, n));                                  // (n, C, H, W) in [-1, 1]
                parts.Add(((x.clamp(-1, 1) + 1) / 2).MoveToOuterDisposeScope());
            }
            var images = cat(parts, 0);
            foreach (var p in parts) p.Dispose();
            return images;
        }
        finally
        {
            net.train(was);
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
