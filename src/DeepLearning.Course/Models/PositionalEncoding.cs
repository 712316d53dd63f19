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
        if (dim % 2 != 0) throw new ArgumentException("dim must be even", nameof(dim));
        using var scope = NewDisposeScope();
        var position = arange(length, dtype: ScalarType.Float32).unsqueeze(1);                 // (L, 1)
        var frequency = exp(arange(0, dim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / dim)); // (d/2)
        var angle = position * frequency;                                                        // (L, d/2)
        return stack([sin(angle), cos(angle)], -1).reshape(length, dim).MoveToOuterDisposeScope(); // interleave: sin, cos, sin, ...
    }

    /// <summary>Adds the encoding of positions <c>0..T-1</c>.</summary>
    /// <param name="x">Embeddings <c>(B, T, dim)</c>.</param>
    /// <returns><c>(B, T, dim)</c>.</returns>
    public override Tensor forward(Tensor x) =>
        _dropout.call(x + _table.narrow(0, 0, x.shape[1]).to(x.device));
}
