using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// The decoder block of an encoder–decoder transformer (pre-norm): causal self-attention over the
/// target so far, cross-attention from the target to the encoder's output (<c>memory</c>), then the
/// MLP — <c>x = x + self(ln1(x)); x = x + cross(ln2(x), memory); x = x + mlp(ln3(x))</c>.
/// </summary>
/// <remarks>Introduced in chapter 06 (attention and transformers), in the sequence-to-sequence example.</remarks>
public sealed class DecoderBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm _ln1;
    private readonly MultiHeadAttention _selfAttn;
    private readonly LayerNorm _ln2;
    private readonly MultiHeadAttention _crossAttn;
    private readonly LayerNorm _ln3;
    private readonly Sequential _mlp;

    /// <summary>Creates the block.</summary>
    /// <param name="dim">Embedding width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="dropout">Dropout on attention and MLP outputs.</param>
    public DecoderBlock(int dim, int heads, double dropout = 0) : base(nameof(DecoderBlock))
    {
        _ln1 = nn.LayerNorm(dim);
        _selfAttn = new MultiHeadAttention(dim, heads, causal: true, dropout);
        _ln2 = nn.LayerNorm(dim);
        _crossAttn = new MultiHeadAttention(dim, heads, causal: false, dropout);
        _ln3 = nn.LayerNorm(dim);
        _mlp = TransformerBlock.FeedForward(dim, dropout);
        RegisterComponents();
    }

    /// <summary>The cross-attention (target queries, source keys and values).</summary>
    public MultiHeadAttention CrossAttention => _crossAttn;

    /// <summary>The block's output.</summary>
    /// <param name="x">Target-side input <c>(B, T, C)</c>.</param>
    /// <param name="memory">Encoder output <c>(B, S, C)</c>.</param>
    /// <returns>Output <c>(B, T, C)</c>.</returns>
    public override Tensor forward(Tensor x, Tensor memory)
    {
        var h = _ln1.call(x);
        x = x + _selfAttn.call(h, h);                  // the target so far      (B, T, C)
        x = x + _crossAttn.call(_ln2.call(x), memory); // look up the source     (B, T, C)
        x = x + _mlp.call(_ln3.call(x));               // each position alone    (B, T, C)
        return x;
    }
}
