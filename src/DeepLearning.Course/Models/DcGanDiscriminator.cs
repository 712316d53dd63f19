using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// DCGAN discriminator for 28x28 images: two strided convolutions with leaky ReLU (28 -> 14 -> 7),
/// then a 7x7 convolution to one logit per image (no sigmoid: the loss applies it).
/// </summary>
/// <remarks>Introduced in chapter 07 (GANs). With <see cref="DcGanConfig.BatchNormInDiscriminator"/> off it serves as a WGAN-GP critic.</remarks>
public sealed class DcGanDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    /// <summary>Builds the discriminator.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public DcGanDiscriminator(DcGanConfig? config = null) : base(nameof(DcGanDiscriminator))
    {
        Config = config ?? new DcGanConfig();
        var w = Config.DiscriminatorWidth;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(Config.Channels, w, 4, stride: 2, padding: 1)),                   // (B, w, 14, 14)
            ("lrelu1", nn.LeakyReLU(0.2)),
            ("conv2", nn.Conv2d(w, 2 * w, 4, stride: 2, padding: 1, bias: !Config.BatchNormInDiscriminator)), // (B, 2w, 7, 7)
        };
        if (Config.BatchNormInDiscriminator) layers.Add(("bn2", nn.BatchNorm2d(2 * w)));
        layers.Add(("lrelu2", nn.LeakyReLU(0.2)));
        layers.Add(("conv3", nn.Conv2d(2 * w, 1, 7)));                                              // (B, 1, 1, 1)
        layers.Add(("flatten", nn.Flatten()));                                                      // (B, 1)
        _net = nn.Sequential(layers);
        RegisterComponents();
        DcGanInit.Apply(this);
    }

    /// <summary>The hyperparameters.</summary>
    public DcGanConfig Config { get; }

    /// <summary>One logit per image: large means "real".</summary>
    /// <param name="x">Images <c>(B, Channels, 28, 28)</c> in [-1, 1].</param>
    /// <returns>Logits <c>(B, 1)</c>.</returns>
    public override Tensor forward(Tensor x) => _net.call(x);
}
