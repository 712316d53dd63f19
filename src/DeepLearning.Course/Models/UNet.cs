using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of <see cref="UNet"/>.</summary>
/// <param name="Channels">Image channels in and out (1 for grey images).</param>
/// <param name="Width">Feature maps at full resolution; the two lower levels have twice as many.</param>
/// <param name="Classes">Number of classes for class conditioning; 0 builds an unconditional network. A conditional
/// network has one more label, <c>Classes</c> itself, that means "no class" (classifier-free guidance).</param>
/// <param name="Groups">Groups of every group normalisation (must divide <see cref="Width"/>).</param>
/// <remarks>Introduced in chapter 09 (diffusion models).</remarks>
public sealed record UNetConfig(int Channels = 1, int Width = 32, int Classes = 0, int Groups = 8)
{
    /// <summary>Width of the time (and class) embedding: four times <see cref="Width"/>, as in Ho et al.</summary>
    public int EmbeddingWidth => 4 * Width;
}

/// <summary>
/// A small U-Net (Ronneberger et al. 2015, the segmentation network) as DDPM uses it (Ho et al. 2020): it maps a noisy
/// image <c>x_t</c> and its time step <c>t</c> (and, optionally, a class label) to a prediction of the noise in it.
/// Two levels down (28 → 14 → 7 with strided convolutions), one residual block per level, a middle block, two
/// levels up (transposed convolutions) where each level concatenates the down path's feature maps of the same
/// size — the <b>skip connections</b> — and a 3x3 convolution out. The time step enters every residual block as a
/// sinusoidal embedding (the transformer's positional encoding of chapter 06) passed through an MLP and added to the
/// feature maps, channel by channel; a class label adds a learned embedding to it.
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models), where <see cref="Ddpm"/> trains it to predict noise. Inputs
/// <c>(B, Channels, H, W)</c> with <c>H</c> and <c>W</c> divisible by 4. The benchmark's U-Net workload and its PyTorch
/// peer (<c>benchmarks/pytorch/unet.py</c>) build the same network.
/// </remarks>
public sealed class UNet : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Sequential _time;
    private readonly Embedding? _label;
    private readonly Conv2d _input;
    private readonly UNetBlock _down1;
    private readonly Conv2d _downsample1;
    private readonly UNetBlock _down2;
    private readonly Conv2d _downsample2;
    private readonly UNetBlock _middle;
    private readonly ConvTranspose2d _upsample2;
    private readonly UNetBlock _up2;
    private readonly ConvTranspose2d _upsample1;
    private readonly UNetBlock _up1;
    private readonly GroupNorm _outNorm;
    private readonly Conv2d _output;

    /// <summary>Builds the network.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults (unconditional, width 32).</param>
    public UNet(UNetConfig? config = null) : base(nameof(UNet))
    {
        Config = config ?? new UNetConfig();
        var c = Config;
        ArgumentOutOfRangeException.ThrowIfLessThan(c.Channels, 1, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(c.Classes, 0, nameof(config));
        if (c.Width < 1 || c.Groups < 1 || c.Width % c.Groups != 0)
            throw new ArgumentException($"UNetConfig: Width {c.Width} must be a positive multiple of Groups {c.Groups}.", nameof(config));
        int w = c.Width, e = c.EmbeddingWidth;
        _time = nn.Sequential(nn.Linear(w, e), nn.SiLU(), nn.Linear(e, e));
        if (c.Classes > 0) _label = nn.Embedding(c.Classes + 1, e);
        _input = nn.Conv2d(c.Channels, w, 3, padding: 1);
        _down1 = new UNetBlock(w, w, e, c.Groups);                      // 28x28
        _downsample1 = nn.Conv2d(w, w, 3, stride: 2, padding: 1);       // -> 14x14
        _down2 = new UNetBlock(w, 2 * w, e, c.Groups);
        _downsample2 = nn.Conv2d(2 * w, 2 * w, 3, stride: 2, padding: 1);   // -> 7x7
        _middle = new UNetBlock(2 * w, 2 * w, e, c.Groups);
        _upsample2 = nn.ConvTranspose2d(2 * w, 2 * w, 4, stride: 2, padding: 1);   // -> 14x14
        _up2 = new UNetBlock(4 * w, 2 * w, e, c.Groups);                // after concatenating _down2's output
        _upsample1 = nn.ConvTranspose2d(2 * w, w, 4, stride: 2, padding: 1);       // -> 28x28
        _up1 = new UNetBlock(2 * w, w, e, c.Groups);                    // after concatenating _down1's output
        _outNorm = UNetBlock.Norm(c.Groups, w);
        _output = nn.Conv2d(w, c.Channels, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public UNetConfig Config { get; }

    /// <summary>True when the network takes class labels.</summary>
    public bool IsConditional => _label is not null;

    /// <summary>The label that means "no class" (the last embedding row); only for a conditional network.</summary>
    public long NullLabel => IsConditional ? Config.Classes : throw new InvalidOperationException("An unconditional U-Net has no labels.");

    /// <summary>Predicts the noise in noisy images.</summary>
    /// <param name="x">Noisy images <c>(B, Channels, H, W)</c>, <c>H</c> and <c>W</c> divisible by 4.</param>
    /// <param name="t">Time steps <c>(B)</c> (integers as any dtype).</param>
    /// <param name="labels">Class labels <c>(B)</c> in <c>[0, Classes]</c> (<c>Classes</c> = no class) for a conditional
    /// network; <c>null</c> for an unconditional one (or to mean "no class" for every image).</param>
    /// <returns>The predicted noise, shaped like <paramref name="x"/>.</returns>
    public override Tensor forward(Tensor x, Tensor t, Tensor? labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t);
        if (x.dim() != 4 || x.shape[1] != Config.Channels || x.shape[2] % 4 != 0 || x.shape[3] % 4 != 0)
            throw new ArgumentException($"UNet expects images (B, {Config.Channels}, H, W) with H and W divisible by 4; got ({string.Join(", ", x.shape)}).", nameof(x));
        if (labels is not null && _label is null)
            throw new ArgumentException("This U-Net is unconditional (Classes = 0): pass labels = null, or build it with UNetConfig.Classes.", nameof(labels));
        using var scope = NewDisposeScope();
        var emb = _time.call(TimeEmbedding(t, Config.Width).to(x.dtype, x.device));          // (B, E), in the images' dtype
        if (_label is not null)
            emb = emb + _label.call(labels ?? full(x.shape[0], NullLabel, dtype: int64, device: x.device));   // (B, E)
        // Every convolution runs through PaddedConvolution: libtorch 2.10's CPU backward pass to a convolution's input is
        // wrong unless its output channels fill blocks of 16 (the last one, to Channels maps, never does).
        var h0 = PaddedConvolution.Forward(_input, x);                  // (B, w, H, W)
        var h1 = _down1.call(h0, emb);                                  // (B, w, H, W)
        var h2 = _down2.call(PaddedConvolution.Forward(_downsample1, h1), emb);   // (B, 2w, H/2, W/2)
        var h = _middle.call(PaddedConvolution.Forward(_downsample2, h2), emb);   // (B, 2w, H/4, W/4)
        h = _up2.call(cat([_upsample2.call(h), h2], 1), emb);           // (B, 4w -> 2w, H/2, W/2)
        h = _up1.call(cat([_upsample1.call(h), h1], 1), emb);           // (B, 2w -> w, H, W)
        var noise = PaddedConvolution.Forward(_output, nn.functional.silu(_outNorm.call(h)));   // (B, Channels, H, W)
        return noise.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sinusoidal embedding of time steps (Vaswani et al.'s positional encoding, <see cref="PositionalEncoding.Encode"/>
    /// in DDPM's layout): for <c>i &lt; d/2</c>, <c>sin(t / 10000^(2i/d))</c> in the first half and <c>cos</c> of the same in
    /// the second.
    /// </summary>
    /// <param name="t">Time steps <c>(B)</c>.</param>
    /// <param name="dimension">Embedding width <c>d</c> (even).</param>
    /// <returns>The embedding <c>(B, d)</c>, float32.</returns>
    public static Tensor TimeEmbedding(Tensor t, int dimension)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (dimension < 2 || dimension % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The time embedding's width must be even and at least 2.");
        return PositionalEncoding.Encode(t, dimension, interleaved: false);
    }
}

/// <summary>
/// The U-Net's residual block: group norm, SiLU, 3x3 convolution, plus the projected time embedding added per channel,
/// then group norm, SiLU, 3x3 convolution, plus the input (through a 1x1 convolution when the channels change).
/// </summary>
/// <remarks>Introduced in chapter 09 (diffusion models) as the building block of <see cref="UNet"/>.</remarks>
public sealed class UNetBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm _norm1;
    private readonly Conv2d _conv1;
    private readonly Linear _embedding;
    private readonly GroupNorm _norm2;
    private readonly Conv2d _conv2;
    private readonly Conv2d? _shortcut;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Channels in.</param>
    /// <param name="outChannels">Channels out.</param>
    /// <param name="embeddingWidth">Width of the time embedding it receives.</param>
    /// <param name="groups">Groups of the group normalisations.</param>
    public UNetBlock(int inChannels, int outChannels, int embeddingWidth, int groups) : base(nameof(UNetBlock))
    {
        _norm1 = Norm(groups, inChannels);
        _conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        _embedding = nn.Linear(embeddingWidth, outChannels);
        _norm2 = Norm(groups, outChannels);
        _conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) _shortcut = nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>
    /// A group normalisation with its affine weight set to 1 and bias to 0, explicitly: TorchSharp 0.107's
    /// <c>nn.GroupNorm</c> can leave them uninitialised (a NaN bias was seen), which PyTorch never does.
    /// </summary>
    /// <param name="groups">Groups.</param>
    /// <param name="channels">Channels.</param>
    /// <returns>The layer.</returns>
    public static GroupNorm Norm(int groups, int channels)
    {
        var norm = nn.GroupNorm(groups, channels);
        using var noGrad = no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }

    /// <summary>The block's output.</summary>
    /// <param name="x">Feature maps <c>(B, Cin, H, W)</c>.</param>
    /// <param name="embedding">Time (and class) embedding <c>(B, E)</c>.</param>
    /// <returns>Feature maps <c>(B, Cout, H, W)</c>.</returns>
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        var h = PaddedConvolution.Forward(_conv1, nn.functional.silu(_norm1.call(x)));    // (B, Cout, H, W)
        h = h + _embedding.call(nn.functional.silu(embedding)).unsqueeze(-1).unsqueeze(-1);   // + (B, Cout, 1, 1)
        h = PaddedConvolution.Forward(_conv2, nn.functional.silu(_norm2.call(h)));        // (B, Cout, H, W)
        return h + (_shortcut is null ? x : _shortcut.call(x));                           // (B, Cout, H, W)
    }
}
