using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a DCGAN for 28x28 images (<see cref="DcGanGenerator"/>, <see cref="DcGanDiscriminator"/>).</summary>
/// <param name="LatentDim">Length of the noise vector <c>z</c> the generator reads.</param>
/// <param name="GeneratorWidth">Feature maps of the generator's last hidden layer (its 7x7 layer has twice as many).</param>
/// <param name="DiscriminatorWidth">Feature maps of the discriminator's first layer (its 7x7 layer has twice as many).</param>
/// <param name="Channels">Image channels (1 for grey images).</param>
/// <param name="BatchNormInDiscriminator">Batch norm in the discriminator's second layer (DCGAN's choice);
/// turn it off for a WGAN-GP critic, whose gradient penalty assumes examples are scored independently.</param>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public sealed record DcGanConfig(int LatentDim = 64, int GeneratorWidth = 32, int DiscriminatorWidth = 32, int Channels = 1, bool BatchNormInDiscriminator = true)
{
    /// <summary>Height and width of the images (fixed by the architecture: 7 -> 14 -> 28).</summary>
    public const int ImageSize = 28;
}

/// <summary>
/// DCGAN generator (Radford et al. 2015) for 28x28 images: a transposed convolution turns the noise
/// vector into 7x7 feature maps, two strided transposed convolutions double the size twice, with batch
/// norm and ReLU between and <c>tanh</c> at the end, so pixels lie in [-1, 1].
/// </summary>
/// <remarks>Introduced in chapter 07 (GANs), trained on Fashion-MNIST with <see cref="Training.GanTrainer"/>.</remarks>
public sealed class DcGanGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    /// <summary>Builds the generator.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public DcGanGenerator(DcGanConfig? config = null) : base(nameof(DcGanGenerator))
    {
        Config = config ?? new DcGanConfig();
        var (z, w) = (Config.LatentDim, Config.GeneratorWidth);
        _net = nn.Sequential(
            ("up1", nn.ConvTranspose2d(z, 2 * w, 7, stride: 1, padding: 0, bias: false)),         // (B, 2w, 7, 7)
            ("bn1", nn.BatchNorm2d(2 * w)),
            ("relu1", nn.ReLU()),
            ("up2", nn.ConvTranspose2d(2 * w, w, 4, stride: 2, padding: 1, bias: false)),         // (B, w, 14, 14)
            ("bn2", nn.BatchNorm2d(w)),
            ("relu2", nn.ReLU()),
            ("up3", nn.ConvTranspose2d(w, Config.Channels, 4, stride: 2, padding: 1)),            // (B, C, 28, 28)
            ("tanh", nn.Tanh()));
        RegisterComponents();
        DcGanInit.Apply(this);
    }

    /// <summary>The hyperparameters.</summary>
    public DcGanConfig Config { get; }

    /// <summary>Images from noise.</summary>
    /// <param name="z">Noise <c>(B, LatentDim)</c>.</param>
    /// <returns>Images <c>(B, Channels, 28, 28)</c> in [-1, 1].</returns>
    public override Tensor forward(Tensor z) =>
        _net.call(z.reshape(z.shape[0], Config.LatentDim, 1, 1));   // (B, Z) -> (B, Z, 1, 1) -> (B, C, 28, 28)

    /// <summary>
    /// Images from fresh noise <c>z ~ N(0, I)</c>, rescaled from [-1, 1] to [0, 1], with gradients off and the generator in
    /// eval mode (then back to the mode it was in). Needs no discriminator or trainer (chapter 09 samples a cached
    /// generator this way); <see cref="Training.GanTrainer.Sample(long, Generator?)"/> is the trainer's own.
    /// </summary>
    /// <param name="count">Number of images.</param>
    /// <param name="random">Random-number generator for the noise; <c>null</c> uses the global one.</param>
    /// <returns>Images <c>(count, Channels, 28, 28)</c> in [0, 1], on the generator's device.</returns>
    public Tensor SampleImages(long count, Generator? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var device = parameters().First().device;
            var z = randn([count, Config.LatentDim], generator: random).to(device);   // (count, Z)
            return ((call(z).clamp(-1, 1) + 1) / 2).MoveToOuterDisposeScope();           // (count, C, 28, 28) in [0, 1]
        }
        finally
        {
            if (wasTraining) train();
        }
    }
}

/// <summary>DCGAN's initialization: convolution weights from N(0, 0.02), batch-norm scales from N(1, 0.02).</summary>
internal static class DcGanInit
{
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.EndsWith(".weight", StringComparison.Ordinal) && p.dim() == 4) nn.init.normal_(p, 0, 0.02);
            else if (name.Contains(".bn", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal)) nn.init.normal_(p, 1, 0.02);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) nn.init.zeros_(p);
        }
    }
}
