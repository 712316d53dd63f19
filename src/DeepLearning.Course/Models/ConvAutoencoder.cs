using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="ConvAutoencoder"/> for 28x28 images.</summary>
/// <param name="Bottleneck">Width of the code <c>z</c>.</param>
/// <param name="Width">Feature maps of the first convolution (the second has twice as many).</param>
/// <param name="Channels">Image channels (1 for grey images).</param>
/// <remarks>Introduced in chapter 08 (autoencoders).</remarks>
public sealed record ConvAutoencoderConfig(int Bottleneck = 32, int Width = 16, int Channels = 1)
{
    /// <summary>Height and width of the images (fixed by the architecture: 28 -> 14 -> 7 and back).</summary>
    public const int ImageSize = 28;
}

/// <summary>
/// A convolutional autoencoder for 28x28 images: two strided 3x3 convolutions (28 → 14 → 7) and a linear layer down to
/// the code; a linear layer and two strided transposed convolutions (7 → 14 → 28) back up, ReLU between, sigmoid at the end.
/// The convolutions look at small neighbourhoods with weights shared across positions: far fewer weights than an MLP's
/// between the image and the code.
/// </summary>
/// <remarks>Introduced in chapter 08 (autoencoders): the convolutional curve of the bottleneck comparison and the denoising autoencoder.</remarks>
public sealed class ConvAutoencoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _encoder;
    private readonly Sequential _decoder;

    /// <summary>Builds encoder and decoder.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public ConvAutoencoder(ConvAutoencoderConfig? config = null) : base(nameof(ConvAutoencoder))
    {
        Config = config ?? new ConvAutoencoderConfig();
        var (w, c, k) = (Config.Width, Config.Channels, Config.Bottleneck);
        _encoder = nn.Sequential(
            ("conv1", nn.Conv2d(c, w, 3, stride: 2, padding: 1)),                      // (B, w, 14, 14)
            ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(w, 2 * w, 3, stride: 2, padding: 1)),                  // (B, 2w, 7, 7)
            ("relu2", nn.ReLU()),
            ("flatten", nn.Flatten()),                                                  // (B, 2w * 49)
            ("code", nn.Linear(2 * w * 49, k)));                                        // (B, k)
        _decoder = nn.Sequential(
            ("expand", nn.Linear(k, 2 * w * 49)),                                       // (B, 2w * 49)
            ("relu1", nn.ReLU()),
            ("unflatten", nn.Unflatten(1, [2 * w, 7, 7])),                              // (B, 2w, 7, 7)
            ("up1", nn.ConvTranspose2d(2 * w, w, 4, stride: 2, padding: 1)),            // (B, w, 14, 14)
            ("relu2", nn.ReLU()),
            ("up2", nn.ConvTranspose2d(w, c, 4, stride: 2, padding: 1)),                // (B, c, 28, 28)
            ("sigmoid", nn.Sigmoid()));
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public ConvAutoencoderConfig Config { get; }

    /// <summary>Codes of a batch.</summary>
    /// <param name="x">Images <c>(B, Channels, 28, 28)</c>.</param>
    /// <returns>Codes <c>(B, Bottleneck)</c>.</returns>
    public Tensor Encode(Tensor x) => _encoder.call(x);

    /// <summary>Images from codes.</summary>
    /// <param name="z">Codes <c>(B, Bottleneck)</c>.</param>
    /// <returns>Images <c>(B, Channels, 28, 28)</c> in (0, 1).</returns>
    public Tensor Decode(Tensor z) => _decoder.call(z);

    /// <summary>Reconstructs a batch of images.</summary>
    /// <param name="x">Images <c>(B, Channels, 28, 28)</c>.</param>
    /// <returns>Reconstructions <c>(B, Channels, 28, 28)</c> in (0, 1).</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Decode(Encode(x)).MoveToOuterDisposeScope();
    }
}
