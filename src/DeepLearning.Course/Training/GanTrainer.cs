using System.Diagnostics;
using DeepLearning.Course.Visualization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>The game a <see cref="GanTrainer"/> plays.</summary>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public enum GanLoss
{
    /// <summary>
    /// Goodfellow et al.'s GAN with the non-saturating generator loss: the discriminator minimizes
    /// <c>(BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2</c>, the generator minimizes <c>BCE(D(G(z)), 1)</c>.
    /// At the equilibrium D outputs 1/2 everywhere and both losses equal ln 2.
    /// </summary>
    Vanilla,

    /// <summary>
    /// Wasserstein GAN with gradient penalty (Gulrajani et al. 2017): the critic minimizes
    /// <c>mean D(G(z)) - mean D(x) + λ mean (‖∇D(x̂)‖ - 1)²</c> on points x̂ between real and fake
    /// examples, an estimate of the earth-mover's distance kept honest by the penalty; the generator
    /// minimizes <c>-mean D(G(z))</c>.
    /// </summary>
    WassersteinGp,
}

/// <summary>Every knob of a GAN run in one record.</summary>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public sealed record GanTrainerOptions
{
    /// <summary>Passes over the real data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Length of the noise vector <c>z ~ N(0, I)</c> fed to the generator.</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>Vanilla GAN or WGAN-GP.</summary>
    public GanLoss Loss { get; init; } = GanLoss.Vanilla;

    /// <summary>Generator learning rate.</summary>
    public double GeneratorLearningRate { get; init; } = 2e-4;

    /// <summary>Discriminator (critic) learning rate.</summary>
    public double DiscriminatorLearningRate { get; init; } = 2e-4;

    /// <summary>Adam's β1 (DCGAN uses 0.5).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam's β2 (WGAN-GP uses 0.9).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Builds both optimizers instead of Adam(β1, β2); called with each learning rate and weight decay 0.</summary>
    public OptimizerFactory? Optimizer { get; init; }

    /// <summary>Weight λ of the gradient penalty (WGAN-GP only).</summary>
    public double GradientPenaltyWeight { get; init; } = 10;

    /// <summary>Discriminator steps (one real batch each) per generator step; WGAN-GP uses 5.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>Use at most this many real batches per epoch; <c>null</c> uses all.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>Show the live progress board (one line per epoch on a console).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Called after each epoch (e.g. to keep a grid of samples from fixed noise).</summary>
    public Action<EpochRecord>? EpochEnd { get; init; }

    /// <summary>Device to train on; <c>null</c> uses <see cref="Course.Device"/>.</summary>
    public Device? Device { get; init; }
}

/// <summary>
/// The one GAN training loop: for each real batch a discriminator step, and after every
/// <see cref="GanTrainerOptions.DiscriminatorSteps"/> of them a generator step. Records per epoch the
/// mean <c>loss_d</c>, <c>loss_g</c>, and the discriminator's mean output on real and generated
/// examples, <c>d_x</c> and <c>d_g_z</c> (probabilities for a vanilla GAN, raw critic scores for WGAN-GP).
/// A dispose scope per batch keeps native memory flat.
/// </summary>
/// <remarks>
/// Introduced in chapter 07 (GANs), where one discriminator step and one generator step are first
/// written by hand. The optimizers live as long as the trainer, so <c>Fit</c> can be called again to
/// train further.
/// </remarks>
public sealed class GanTrainer : IDisposable
{
    private readonly Device _device;
    private int _sinceGeneratorStep;

    /// <summary>Creates the trainer and its two optimizers; moves both networks to the device.</summary>
    /// <param name="generator">Maps noise <c>(B, LatentDim)</c> to examples.</param>
    /// <param name="discriminator">Maps examples to one logit (or critic score) each, <c>(B, 1)</c> or <c>(B)</c>.</param>
    /// <param name="options">Run options; <c>null</c> uses the defaults.</param>
    public GanTrainer(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, GanTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        Generator = generator;
        Discriminator = discriminator;
        Options = options ?? new GanTrainerOptions();
        if (Options.DiscriminatorSteps < 1) throw new ArgumentOutOfRangeException(nameof(options), "DiscriminatorSteps must be at least 1.");
        _device = Options.Device ?? Course.Device;
        generator.to(_device);
        discriminator.to(_device);
        GeneratorOptimizer = MakeOptimizer(generator, Options.GeneratorLearningRate);
        DiscriminatorOptimizer = MakeOptimizer(discriminator, Options.DiscriminatorLearningRate);
    }

    /// <summary>The generator G.</summary>
    public nn.Module<Tensor, Tensor> Generator { get; }

    /// <summary>The discriminator (critic) D.</summary>
    public nn.Module<Tensor, Tensor> Discriminator { get; }

    /// <summary>The run's options.</summary>
    public GanTrainerOptions Options { get; }

    /// <summary>The generator's optimizer.</summary>
    public optim.Optimizer GeneratorOptimizer { get; }

    /// <summary>The discriminator's optimizer.</summary>
    public optim.Optimizer DiscriminatorOptimizer { get; }

    /// <summary>
    /// Trains for <see cref="GanTrainerOptions.Epochs"/> passes over <paramref name="realBatches"/>.
    /// </summary>
    /// <param name="realBatches">Batches of real examples, enumerated once per epoch.</param>
    /// <returns>Per-epoch <c>loss_d</c>, <c>loss_g</c>, <c>d_x</c>, <c>d_g_z</c>.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public History Fit(IEnumerable<Tensor> realBatches)
    {
        ArgumentNullException.ThrowIfNull(realBatches);
        var o = Options;
        var history = new History("loss_g", MonitorMode.Min);
        var board = o.ShowProgress ? new ProgressBoard(o.Epochs, "epoch", "GAN training") : null;
        for (var epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            Generator.train();
            Discriminator.train();
            var sums = new Dictionary<string, double> { ["loss_d"] = 0, ["loss_g"] = 0, ["d_x"] = 0, ["d_g_z"] = 0 };
            int dSteps = 0, gSteps = 0;
            using (var epochScope = NewDisposeScope())
            {
                using var batches = realBatches.GetEnumerator();
                for (var batch = 0; o.MaxBatchesPerEpoch is not int max || batch < max; batch++)
                {
                    if (!batches.MoveNext()) break;
                    using var scope = NewDisposeScope();
                    var real = batches.Current;
                    if (epochScope.Contains(real)) epochScope.MoveToOther(scope, real);
                    var result = Step(real);
                    Check(result.LossD, epoch, batch, DiscriminatorOptimizer);
                    sums["loss_d"] += result.LossD;
                    sums["d_x"] += result.DOfX;
                    sums["d_g_z"] += result.DOfGz;
                    dSteps++;
                    if (result.LossG is double lossG)
                    {
                        Check(lossG, epoch, batch, GeneratorOptimizer);
                        sums["loss_g"] += lossG;
                        gSteps++;
                    }
                    board?.Batch(epoch, batch, result.LossD);
                }
            }
            var values = new Dictionary<string, double>
            {
                ["loss_d"] = sums["loss_d"] / Math.Max(1, dSteps),
                ["loss_g"] = gSteps == 0 ? double.NaN : sums["loss_g"] / gSteps,
                ["d_x"] = sums["d_x"] / Math.Max(1, dSteps),
                ["d_g_z"] = sums["d_g_z"] / Math.Max(1, dSteps),
            };
            var record = new EpochRecord(epoch, values, clock.Elapsed, o.GeneratorLearningRate);
            history.Add(record);
            history.BestEpoch = epoch;
            history.BestValue = values["loss_g"];
            board?.EndEpoch(record);
            o.EpochEnd?.Invoke(record);
        }
        history.StopReason = $"Completed {history.Epochs.Count} epochs.";
        board?.Finish(history.StopReason);
        return history;
    }

    /// <summary>Trains on a library data loader's features (labels are ignored).</summary>
    /// <param name="data">Batches from a <see cref="Data.DataLoader"/>.</param>
    /// <returns>Per-epoch <c>loss_d</c>, <c>loss_g</c>, <c>d_x</c>, <c>d_g_z</c>.</returns>
    public History Fit(IEnumerable<Data.Batch> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.Select(b => b.Features));
    }

    /// <summary>
    /// One discriminator step on <paramref name="real"/>, followed by a generator step when
    /// <see cref="GanTrainerOptions.DiscriminatorSteps"/> discriminator steps have passed since the last.
    /// The generator step reuses this batch's fakes (same noise), scored by the updated discriminator.
    /// </summary>
    /// <param name="real">A batch of real examples.</param>
    /// <returns>The two losses (the generator's only when it stepped) and D's mean outputs.</returns>
    public GanStepResult Step(Tensor real)
    {
        ArgumentNullException.ThrowIfNull(real);
        using var scope = NewDisposeScope();
        if (real.device != _device) real = real.to(_device);
        var n = real.shape[0];
        var fake = Generator.call(Latent(n));                 // (B, ...) with G's graph

        // Discriminator: tell real from (detached) fake.
        DiscriminatorOptimizer.zero_grad();
        var realScore = Discriminator.call(real).reshape(n);  // (B)
        var fakeScore = Discriminator.call(fake.detach()).reshape(n);
        Tensor lossD;
        double dx, dgz;
        if (Options.Loss == GanLoss.Vanilla)
        {
            lossD = (nn.functional.binary_cross_entropy_with_logits(realScore, ones_like(realScore))
                   + nn.functional.binary_cross_entropy_with_logits(fakeScore, zeros_like(fakeScore))) / 2;
            dx = Scalar(realScore.detach().sigmoid().mean());
            dgz = Scalar(fakeScore.detach().sigmoid().mean());
        }
        else
        {
            lossD = fakeScore.mean() - realScore.mean()
                  + Options.GradientPenaltyWeight * GradientPenalty(Discriminator, real, fake.detach());
            dx = Scalar(realScore.detach().mean());
            dgz = Scalar(fakeScore.detach().mean());
        }
        lossD.backward();
        DiscriminatorOptimizer.step();
        var lossDValue = Scalar(lossD);

        _sinceGeneratorStep++;
        if (_sinceGeneratorStep < Options.DiscriminatorSteps) return new GanStepResult(lossDValue, null, dx, dgz);
        _sinceGeneratorStep = 0;

        // Generator: make the discriminator call its fakes real.
        GeneratorOptimizer.zero_grad();
        var score = Discriminator.call(fake).reshape(n);
        var lossG = Options.Loss == GanLoss.Vanilla
            ? nn.functional.binary_cross_entropy_with_logits(score, ones_like(score))
            : -score.mean();
        lossG.backward();
        GeneratorOptimizer.step();
        DiscriminatorOptimizer.zero_grad();                  // D's gradients from G's step are not D's to use
        return new GanStepResult(lossDValue, Scalar(lossG), dx, dgz);
    }

    /// <summary>Noise <c>z ~ N(0, I)</c> of shape <c>(n, LatentDim)</c> on the training device.</summary>
    /// <param name="n">Number of noise vectors.</param>
    /// <param name="generator">Random-number generator for reproducible samples; <c>null</c> uses the global one.</param>
    /// <returns>The noise.</returns>
    public Tensor Latent(long n, torch.Generator? generator = null) =>
        randn([n, Options.LatentDim], generator: generator).to(_device);

    /// <summary>Generated examples for given noise, with gradients off and G in eval mode (then back to train mode).</summary>
    /// <param name="z">Noise <c>(n, LatentDim)</c>.</param>
    /// <returns>Examples on the CPU.</returns>
    public Tensor Sample(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var wasTraining = Generator.training;
        Generator.eval();
        try
        {
            using var _ = no_grad();
            return Generator.call(z.to(_device)).cpu();
        }
        finally
        {
            if (wasTraining) Generator.train();
        }
    }

    /// <summary><paramref name="n"/> generated examples from fresh noise.</summary>
    /// <param name="n">Number of examples.</param>
    /// <param name="generator">Random-number generator for reproducible samples; <c>null</c> uses the global one.</param>
    /// <returns>Examples on the CPU.</returns>
    public Tensor Sample(long n, torch.Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        return Sample(Latent(n, generator)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// WGAN-GP's penalty <c>mean (‖∇ₓ̂ D(x̂)‖₂ - 1)²</c> at random points x̂ on the segments between
    /// real and fake examples; built with <c>create_graph</c> so it can be backpropagated into D.
    /// </summary>
    /// <param name="critic">The critic D.</param>
    /// <param name="real">Real examples <c>(B, ...)</c>.</param>
    /// <param name="fake">Generated examples, same shape, detached from G.</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor GradientPenalty(nn.Module<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        var shape = new long[real.dim()];
        Array.Fill(shape, 1L);
        shape[0] = real.shape[0];
        var eps = rand(shape, dtype: real.dtype, device: real.device);          // (B, 1, ...) one mix per example
        var xHat = (eps * real + (1 - eps) * fake).detach().requires_grad_(true);
        var score = critic.call(xHat);
        var grad = autograd.grad([score.sum()], [xHat], retain_graph: true, create_graph: true)[0]; // (B, ...)
        var norm = grad.flatten(1).norm(1, keepdim: false, p: 2);               // (B)
        return (norm - 1).square().mean();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
    }

    private optim.Optimizer MakeOptimizer(nn.Module<Tensor, Tensor> module, double lr) =>
        Options.Optimizer is { } factory
            ? factory(module.parameters(), lr, 0)
            : new CourseAdam(module.parameters(), lr, Options.Beta1, Options.Beta2);

    // The one read-out Trainer uses (StepContext.ReadLoss): no conversion op, and its native scalar is freed at once.
    private static double Scalar(Tensor t) => StepContext.ReadLoss(t);

    private static void Check(double loss, int epoch, int batch, optim.Optimizer optimizer)
    {
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(epoch, batch, loss, StepContext.CurrentLearningRate(optimizer));
    }
}

/// <summary>What one <see cref="GanTrainer.Step"/> reports.</summary>
/// <param name="LossD">The discriminator's (critic's) loss on the batch.</param>
/// <param name="LossG">The generator's loss, or <c>null</c> when it did not step.</param>
/// <param name="DOfX">Mean D output on the real batch (probability, or critic score for WGAN-GP).</param>
/// <param name="DOfGz">Mean D output on the generated batch.</param>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public sealed record GanStepResult(double LossD, double? LossG, double DOfX, double DOfGz);
