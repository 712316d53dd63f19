using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of an <see cref="MlpAutoencoder"/>.</summary>
/// <param name="Inputs">Values per example after flattening (784 for a 28x28 image).</param>
/// <param name="Bottleneck">Width of the code <c>z</c>, the narrowest layer.</param>
/// <param name="Hidden">Hidden widths of the encoder, input side first; the decoder mirrors them (empty: a linear autoencoder).</param>
/// <param name="Activation">Hidden activation (see <see cref="Mlp.MakeActivation"/>).</param>
/// <param name="SigmoidOutput">Squash the reconstruction into (0, 1) with a sigmoid (for pixels); off for a linear autoencoder.</param>
/// <remarks>Introduced in chapter 08 (autoencoders).</remarks>
public sealed record MlpAutoencoderConfig(int Inputs = 784, int Bottleneck = 32, IReadOnlyList<int>? Hidden = null, string Activation = "relu", bool SigmoidOutput = true)
{
    /// <summary>The encoder's hidden widths, never null (defaults to one layer of 256).</summary>
    public IReadOnlyList<int> HiddenLayers => Hidden ?? [256];

    /// <summary>The linear autoencoder: <c>x̂ = W₂(W₁x + b₁) + b₂</c>, no hidden layer, no activation, no sigmoid; its best weights span PCA's subspace.</summary>
    /// <param name="bottleneck">Width of the code.</param>
    /// <param name="inputs">Values per example.</param>
    /// <returns>The configuration.</returns>
    public static MlpAutoencoderConfig Linear(int bottleneck, int inputs = 784) => new(inputs, bottleneck, [], SigmoidOutput: false);
}

/// <summary>
/// A fully connected autoencoder: an encoder <see cref="Mlp"/> from the input to a narrow code (the bottleneck) and a
/// decoder <see cref="Mlp"/> that mirrors it back to the input's size. Trained to reproduce its input (targets = inputs),
/// it must squeeze each example through the code, so the code keeps what matters most for reconstruction.
/// </summary>
/// <remarks>
/// Introduced in chapter 08 (autoencoders): without hidden layers (<see cref="MlpAutoencoderConfig.Linear"/>) it is the
/// linear autoencoder that gradient descent drives to PCA's reconstruction error; with them, the MLP autoencoder of the
/// bottleneck comparison and the anomaly detector. Inputs of any shape <c>(B, ...)</c> are flattened; the reconstruction
/// takes the input's shape.
/// </remarks>
public sealed class MlpAutoencoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp _encoder;
    private readonly Mlp _decoder;

    /// <summary>Builds encoder and decoder.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults (784-256-32-256-784, ReLU, sigmoid output).</param>
    public MlpAutoencoder(MlpAutoencoderConfig? config = null) : base(nameof(MlpAutoencoder))
    {
        Config = config ?? new MlpAutoencoderConfig();
        var c = Config;
        _encoder = new Mlp(new MlpConfig(c.Inputs, c.HiddenLayers, c.Bottleneck, Activation: c.Activation));
        _decoder = new Mlp(new MlpConfig(c.Bottleneck, c.HiddenLayers.Reverse().ToArray(), c.Inputs, Activation: c.Activation));
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public MlpAutoencoderConfig Config { get; }

    /// <summary>The encoder: examples <c>(B, ...)</c> to codes <c>(B, Bottleneck)</c>.</summary>
    public Mlp Encoder => _encoder;

    /// <summary>The decoder: codes <c>(B, Bottleneck)</c> to flat reconstructions <c>(B, Inputs)</c> (before the sigmoid, if any).</summary>
    public Mlp Decoder => _decoder;

    /// <summary>Codes of a batch.</summary>
    /// <param name="x">Examples <c>(B, ...)</c> with <see cref="MlpAutoencoderConfig.Inputs"/> values each.</param>
    /// <returns>Codes <c>(B, Bottleneck)</c>.</returns>
    public Tensor Encode(Tensor x) => _encoder.call(x);

    /// <summary>Reconstructions from codes.</summary>
    /// <param name="z">Codes <c>(B, Bottleneck)</c>.</param>
    /// <returns>Flat reconstructions <c>(B, Inputs)</c>, in (0, 1) with <see cref="MlpAutoencoderConfig.SigmoidOutput"/>.</returns>
    public Tensor Decode(Tensor z)
    {
        var y = _decoder.call(z);
        return Config.SigmoidOutput ? y.sigmoid() : y;
    }

    /// <summary>Reconstructs a batch: encode, decode, back to the input's shape.</summary>
    /// <param name="x">Examples <c>(B, ...)</c>.</param>
    /// <returns>Reconstructions shaped like <paramref name="x"/>.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var z = Encode(x);                        // (B, Bottleneck)
        return Decode(z).reshape(x.shape)         // (B, Inputs) -> (B, ...)
            .MoveToOuterDisposeScope();
    }
}
