using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// GAN training on the one loop (<see cref="Trainer"/>), with a GAN's round as its step: for each real
/// batch a discriminator step, and after every <see cref="GanTrainerOptions.DiscriminatorSteps"/> of them a
/// generator step. Records per epoch the mean <c>loss_d</c>, <c>loss_g</c>, and the discriminator's mean
/// output on real and generated examples, <c>d_x</c> and <c>d_g_z</c> (probabilities for a vanilla GAN, raw
/// critic scores for WGAN-GP), each a mean over the steps that reported it.
/// </summary>
/// <remarks>
/// Introduced in chapter 07 (GANs), where one discriminator step and one generator step are first
/// written by hand. The optimizers live as long as the trainer, so <c>Fit</c> can be called again to
/// train further.
/// </remarks>
public sealed class GanTrainer : IDisposable
{
    // How the loop names and averages a GAN's numbers: unprefixed keys, a mean per step, the latest epoch counts as best.
    private static readonly LoopShape Shape = new("GAN training", Prefix: null, LossName: "loss_d", WeightByRows: false, TrackBest: false,
        ["loss_g", "d_x", "d_g_z"]);

    private readonly Device _device;
    private readonly Trainer _loop;
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
        _loop = new Trainer(new TrainerOptions
        {
            Epochs = Options.Epochs, MaxBatchesPerEpoch = Options.MaxBatchesPerEpoch, ShowProgress = Options.ShowProgress,
            Device = _device, EpochEnd = Options.EpochEnd, Step = RoundStep,
        });
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
    /// Trains for <see cref="GanTrainerOptions.Epochs"/> passes over <paramref name="data"/>'s features
    /// (labels, if any, are ignored): e.g. an unlabelled <c>new DataLoader(images, 64, shuffle: true)</c>.
    /// </summary>
    /// <param name="data">Batches of real examples, enumerated once per epoch.</param>
    /// <returns>Per-epoch <c>loss_d</c>, <c>loss_g</c>, <c>d_x</c>, <c>d_g_z</c>.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public History Fit(IEnumerable<Data.Batch> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var context = new StepContext(Generator, GeneratorOptimizer, _loop.Options);
        return _loop.Run(context, [Generator, Discriminator], data, validData: null, scheduler: null,
            new History("loss_g", MonitorMode.Min), Shape);
    }

    /// <summary>Trains on batches of real examples given as tensors: the same as the <see cref="Data.Batch"/> overload.</summary>
    /// <param name="realBatches">Batches of real examples, enumerated once per epoch.</param>
    /// <returns>Per-epoch <c>loss_d</c>, <c>loss_g</c>, <c>d_x</c>, <c>d_g_z</c>.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public History Fit(IEnumerable<Tensor> realBatches)
    {
        ArgumentNullException.ThrowIfNull(realBatches);
        return Fit(realBatches.Select(real => new Data.Batch(real)));
    }

    // The loop's step: one round of the game on the batch, checked, reported as the loop's StepResult.
    private StepResult RoundStep(StepContext c)
    {
        var result = Step(c.X);
        Check(result.LossD, c, DiscriminatorOptimizer);
        if (result.LossG is not double lossG)
            return new StepResult(result.LossD, Values: new Dictionary<string, double> { ["d_x"] = result.DOfX, ["d_g_z"] = result.DOfGz });
        Check(lossG, c, GeneratorOptimizer);
        return new StepResult(result.LossD, Values: new Dictionary<string, double>
        {
            ["loss_g"] = lossG, ["d_x"] = result.DOfX, ["d_g_z"] = result.DOfGz,
        });
    }

    /// <summary>
    /// One discriminator step on <paramref name="real"/>, followed by a generator step when
    /// <see cref="GanTrainerOptions.DiscriminatorSteps"/> discriminator steps have passed since the last.
    /// The generator step reuses this batch's fakes (same noise), scored by the updated discriminator.
    /// </summary>
    /// <param name="real">A batch of real examples.</param>
    /// <param name="noise">Random-number generator for the batch's noise; <c>null</c> uses the global one.</param>
    /// <returns>The two losses (the generator's only when it stepped) and D's mean outputs.</returns>
    public GanStepResult Step(Tensor real, torch.Generator? noise = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        using var scope = NewDisposeScope();
        if (real.device != _device) real = real.to(_device);
        var n = real.shape[0];
        var fake = Generator.call(Latent(n, noise));          // (B, ...) with G's graph

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

    private static void Check(double loss, StepContext c, optim.Optimizer optimizer)
    {
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(c.Epoch, c.Batch, loss, StepContext.CurrentLearningRate(optimizer));
    }
}
