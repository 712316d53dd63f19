using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Sinusoidal positional encoding (Vaswani et al., 2017): position <c>p</c>, channel pair <c>i</c> gets
/// <c>sin(p / 10000^(2i/d))</c> and <c>cos(p / 10000^(2i/d))</c>, so each position has a unique
/// pattern and nearby positions similar ones. The module adds it to token embeddings, then dropout.
/// </summary>
/// <remarks>Introduced in chapter 06 (attention and transformers), where the table is shown as a heatmap.</remarks>
public sealed class PositionalEncoding : nn.Module<Tensor, Tensor>
{
    private readonly Tensor _table;
    private readonly Dropout _dropout;

    /// <summary>Creates the module.</summary>
    /// <param name="maxLength">Longest sequence it can encode.</param>
    /// <param name="dim">Embedding width (even).</param>
    /// <param name="dropout">Dropout after the addition.</param>
    public PositionalEncoding(int maxLength, int dim, double dropout = 0) : base(nameof(PositionalEncoding))
    {
        _table = Table(maxLength, dim);
        _dropout = nn.Dropout(dropout);
        register_buffer("table", _table, persistent: false);
        RegisterComponents();
    }

    /// <summary>The encoding table <c>(length, dim)</c>: even channels sine, odd channels cosine.</summary>
    /// <param name="length">Number of positions.</param>
    /// <param name="dim">Embedding width (even).</param>
    /// <returns>A float32 tensor <c>(length, dim)</c> with values in [-1, 1].</returns>
    public static Tensor Table(int length, int dim)
    {
        using var positions = arange(length, dtype: ScalarType.Float32);                         // (L)
        return Encode(positions, dim);
    }

    /// <summary>
    /// The sinusoidal encoding of any positions (or, in chapter 09, diffusion time steps <c>t</c>): for <c>i &lt; d/2</c>,
    /// <c>sin(p / 10000^(2i/d))</c> and <c>cos</c> of the same. <see cref="Table"/> is this for <c>p = 0..L-1</c>.
    /// </summary>
    /// <param name="positions">Positions <c>(N)</c>, any numeric dtype.</param>
    /// <param name="dim">Embedding width <c>d</c> (even).</param>
    /// <param name="interleaved">True (the transformer's layout): sine in the even channels, cosine in the odd ones. False
    /// (DDPM's layout): the <c>d/2</c> sines first, then the <c>d/2</c> cosines.</param>
    /// <returns>A float32 tensor <c>(N, d)</c> on the CPU.</returns>
    public static Tensor Encode(Tensor positions, int dim, bool interleaved = true)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (dim < 2 || dim % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "A sinusoidal encoding's width must be even and at least 2.");
        using var scope = NewDisposeScope();
        var frequency = exp(arange(0, dim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / dim));  // (d/2): 10000^(-2i/d)
        var angle = positions.to(ScalarType.Float32).cpu().unsqueeze(1) * frequency;                      // (N, d/2)
        var encoded = interleaved
            ? stack([sin(angle), cos(angle)], -1).reshape(-1, dim)                                        // sin, cos, sin, ...
            : cat([sin(angle), cos(angle)], 1);                                                           // sin ... sin, cos ... cos
        return encoded.MoveToOuterDisposeScope();
    }

    /// <summary>Adds the encoding of positions <c>0..T-1</c>.</summary>
    /// <param name="x">Embeddings <c>(B, T, dim)</c>.</param>
    /// <returns><c>(B, T, dim)</c>.</returns>
    public override Tensor forward(Tensor x) =>
        _dropout.call(x + _table.narrow(0, 0, x.shape[1]).to(x.device));
}
