using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// A pre-norm transformer block (GPT-2 layout): <c>x = x + attn(ln1(x)); x = x + mlp(ln2(x))</c>,
/// where the MLP widens to <c>4 * dim</c> with GELU and projects back. With <c>causal</c> it is a
/// decoder block (GPT); without, an encoder block (BERT, the encoder of an encoder–decoder).
/// </summary>
/// <remarks>Introduced in chapter 06 (attention and transformers).</remarks>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _ln1;
    private readonly MultiHeadAttention _attn;
    private readonly LayerNorm _ln2;
    private readonly Sequential _mlp;

    /// <summary>Creates the block.</summary>
    /// <param name="dim">Embedding width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="causal">Mask future positions.</param>
    /// <param name="dropout">Dropout on attention and MLP outputs.</param>
    public TransformerBlock(int dim, int heads, bool causal, double dropout = 0) : base(nameof(TransformerBlock))
    {
        _ln1 = nn.LayerNorm(dim);
        _attn = new MultiHeadAttention(dim, heads, causal, dropout);
        _ln2 = nn.LayerNorm(dim);
        _mlp = FeedForward(dim, dropout);
        RegisterComponents();
    }

    /// <summary>The block's self-attention (for its weights: <see cref="MultiHeadAttention.CaptureWeights"/>).</summary>
    public MultiHeadAttention SelfAttention => _attn;

    /// <summary>The block's output.</summary>
    /// <param name="x">Input <c>(B, T, C)</c>.</param>
    /// <returns>Output <c>(B, T, C)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        var h = _ln1.call(x);
        x = x + _attn.call(h, h);          // tokens talk to each other   (B, T, C)
        x = x + _mlp.call(_ln2.call(x));   // each token thinks alone     (B, T, C)
        return x;
    }

    /// <summary>The position-wise MLP: <c>Linear(C, 4C) → GELU → Linear(4C, C) → Dropout</c>.</summary>
    /// <param name="dim">Embedding width.</param>
    /// <param name="dropout">Dropout after the projection.</param>
    /// <returns>The module.</returns>
    internal static Sequential FeedForward(int dim, double dropout) => nn.Sequential(
        ("expand", nn.Linear(dim, 4 * dim)),
        ("gelu", nn.GELU()),
        ("project", nn.Linear(4 * dim, dim)),
        ("dropout", nn.Dropout(dropout)));
}
