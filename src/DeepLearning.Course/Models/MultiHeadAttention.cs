using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Multi-head attention: queries, keys and values are projected, split into <c>heads</c> groups of
/// <c>dim / heads</c> channels, attended independently, concatenated and projected back.
/// <c>call(x, x)</c> is self-attention; <c>call(x, memory)</c> is cross-attention (an encoder–decoder's
/// decoder reading the encoder's output).
/// </summary>
/// <remarks>
/// Introduced in chapter 06 (attention and transformers). Training uses TorchSharp's fused
/// <c>scaled_dot_product_attention</c>; with <see cref="CaptureWeights"/> on it runs the
/// written-out <see cref="Attention.ScaledDotProduct"/> instead and keeps the weights for heatmaps.
/// </remarks>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _query;
    private readonly Linear _keyValue;
    private readonly Linear _output;
    private readonly Dropout _dropout;
    private readonly int _heads;
    private readonly int _dim;
    private readonly bool _causal;
    private readonly double _dropoutP;

    /// <summary>Creates the module.</summary>
    /// <param name="dim">Embedding width <c>C</c> (a multiple of <paramref name="heads"/>).</param>
    /// <param name="heads">Number of heads.</param>
    /// <param name="causal">Mask future positions (query <c>i</c> sees keys <c>0..i</c>).</param>
    /// <param name="dropout">Dropout on the attention weights and on the output.</param>
    public MultiHeadAttention(int dim, int heads, bool causal = false, double dropout = 0) : base(nameof(MultiHeadAttention))
    {
        if (heads < 1 || dim % heads != 0) throw new ArgumentException($"dim ({dim}) must be a multiple of heads ({heads}).", nameof(heads));
        _heads = heads;
        _dim = dim;
        _causal = causal;
        _dropoutP = dropout;
        _query = nn.Linear(dim, dim);
        _keyValue = nn.Linear(dim, 2 * dim);
        _output = nn.Linear(dim, dim);
        _dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>When true, the next forward passes use the written-out attention and keep its weights in <see cref="LastWeights"/>.</summary>
    public bool CaptureWeights { get; set; }

    /// <summary>The attention weights <c>(B, heads, Tq, Tk)</c> of the last forward pass with <see cref="CaptureWeights"/> on (detached).</summary>
    public Tensor? LastWeights { get; private set; }

    /// <summary>Attends from <paramref name="x"/> to <paramref name="memory"/>.</summary>
    /// <param name="x">Queries' source <c>(B, Tq, C)</c>.</param>
    /// <param name="memory">Keys' and values' source <c>(B, Tk, C)</c>; pass <paramref name="x"/> again for self-attention.</param>
    /// <returns>The output <c>(B, Tq, C)</c>.</returns>
    /// <exception cref="ArgumentException">The inputs are not <c>(B, T, C)</c> with this module's width, or their batch sizes differ.</exception>
    public override Tensor forward(Tensor x, Tensor memory)
    {
        if (x.dim() != 3 || memory.dim() != 3 || x.shape[2] != _dim || memory.shape[2] != _dim || x.shape[0] != memory.shape[0])
            throw new ArgumentException(
                $"MultiHeadAttention({_dim}, {_heads}) needs x (B, Tq, {_dim}) and memory (B, Tk, {_dim}) with the same batch size B; " +
                $"got x {ShapeChecks.Format(x.shape)}, memory {ShapeChecks.Format(memory.shape)}. A single sequence needs a batch dimension: x.unsqueeze(0).");
        var (B, Tq, C) = (x.shape[0], x.shape[1], x.shape[2]);
        var Tk = memory.shape[1];
        var q = SplitHeads(_query.call(x), Tq);                       // (B, h, Tq, C/h)
        var kv = _keyValue.call(memory).chunk(2, -1);                 // 2 x (B, Tk, C)
        var (k, v) = (SplitHeads(kv[0], Tk), SplitHeads(kv[1], Tk));  // (B, h, Tk, C/h)
        Tensor y;
        if (CaptureWeights)
        {
            var mask = _causal ? Attention.CausalMask(Tq, x.device) : null;
            (y, var weights) = Attention.ScaledDotProduct(q, k, v, mask);   // (B, h, Tq, C/h), (B, h, Tq, Tk)
            LastWeights = weights.detach();
        }
        else
        {
            y = nn.functional.scaled_dot_product_attention(q, k, v, null, training ? _dropoutP : 0, _causal);
        }
        y = y.transpose(1, 2).reshape(B, Tq, C);                      // (B, Tq, C): heads side by side
        return _dropout.call(_output.call(y));                         // (B, Tq, C)
    }

    private Tensor SplitHeads(Tensor t, long length) =>
        t.view(t.shape[0], length, _heads, -1).transpose(1, 2);      // (B, T, C) -> (B, h, T, C/h)
}
