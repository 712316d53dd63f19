using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of <see cref="TinyResNet"/>.</summary>
/// <param name="InChannels">Input channels (1 for grey images).</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Width">Channels of the stem; the two residual stages have 2x and 4x as many.</param>
/// <remarks>Introduced in chapter 03 (CNN).</remarks>
public sealed record TinyResNetConfig(int InChannels = 1, int Classes = 10, int Width = 16);

/// <summary>
/// A ResNet in miniature for 28x28 images: a 3x3 convolution stem with max pooling, two
/// <see cref="ResidualBlock"/>s (the second halves the resolution), global average pooling and
/// one linear layer. Because of the global pooling it accepts any input size.
/// </summary>
/// <remarks>Introduced in chapter 03 (CNN), to show residual blocks in a whole network.</remarks>
public sealed class TinyResNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _stem;
    private readonly ResidualBlock _block1;
    private readonly ResidualBlock _block2;
    private readonly AdaptiveAvgPool2d _pool;
    private readonly Linear _fc;

    /// <summary>Creates the network.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public TinyResNet(TinyResNetConfig? config = null) : base(nameof(TinyResNet))
    {
        Config = config ?? new TinyResNetConfig();
        var w = Config.Width;
        _stem = nn.Sequential(
            nn.Conv2d(Config.InChannels, w, 3, padding: 1, bias: false), nn.BatchNorm2d(w), nn.ReLU(), nn.MaxPool2d(2));
        _block1 = new ResidualBlock(w, 2 * w);
        _block2 = new ResidualBlock(2 * w, 4 * w, stride: 2);
        _pool = nn.AdaptiveAvgPool2d(1);
        _fc = nn.Linear(4 * w, Config.Classes);
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public TinyResNetConfig Config { get; }

    /// <summary>Class logits for a batch of images.</summary>
    /// <param name="x">Images <c>(B, C, H, W)</c>.</param>
    /// <returns>Logits <c>(B, Classes)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        x = _stem.call(x);              // (B, w, H/2, W/2)
        x = _block1.call(x);            // (B, 2w, H/2, W/2)
        x = _block2.call(x);            // (B, 4w, H/4, W/4)
        x = _pool.call(x).flatten(1);   // (B, 4w)
        return _fc.call(x);             // (B, Classes)
    }
}
