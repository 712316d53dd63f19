using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Scaled dot-product attention written out (Vaswani et al., 2017):
/// <c>softmax(Q K^T / sqrt(d) + mask) V</c>. Each query takes a weighted average of the values, the
/// weights saying how well the query matches each key: a soft dictionary lookup.
/// </summary>
/// <remarks>
/// Introduced in chapter 06 (attention and transformers), where it is derived step by step and
/// checked against TorchSharp's fused <c>nn.functional.scaled_dot_product_attention</c>.
/// </remarks>
public static class Attention
{
    /// <summary>Attention output and weights for queries, keys and values with any leading dimensions.</summary>
    /// <param name="query">Queries <c>(..., Tq, d)</c>.</param>
    /// <param name="key">Keys <c>(..., Tk, d)</c>.</param>
    /// <param name="value">Values <c>(..., Tk, dv)</c>.</param>
    /// <param name="mask">Optional boolean mask broadcastable to <c>(..., Tq, Tk)</c>: <c>true</c> = may attend.</param>
    /// <returns>The output <c>(..., Tq, dv)</c> and the weights <c>(..., Tq, Tk)</c> (rows sum to 1).</returns>
    public static (Tensor Output, Tensor Weights) ScaledDotProduct(Tensor query, Tensor key, Tensor value, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2 || query.shape[^1] != key.shape[^1] || key.shape[^2] != value.shape[^2])
            throw new ArgumentException(
                $"Attention needs query (..., Tq, d), key (..., Tk, d) and value (..., Tk, dv): queries and keys of the same width d, " +
                $"as many values as keys; got query {ShapeChecks.Format(query.shape)}, key {ShapeChecks.Format(key.shape)}, value {ShapeChecks.Format(value.shape)}.");
        var scores = ShapeChecks.MatMul(query, key.transpose(-2, -1), "attention scores (queries by keys)") / Math.Sqrt(query.shape[^1]); // (..., Tq, Tk)
        if (mask is not null) scores = scores.masked_fill(mask.logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1);                                                 // (..., Tq, Tk)
        return (ShapeChecks.MatMul(weights, value, "attention output (weights by values)"), weights);    // (..., Tq, dv)
    }

    /// <summary>The causal mask: query <c>i</c> may see keys <c>0..i</c> (lower triangle, <c>true</c> = allowed).</summary>
    /// <param name="length">Sequence length.</param>
    /// <param name="device">Device for the mask; <c>null</c> = CPU.</param>
    /// <returns>A boolean <c>(length, length)</c> tensor.</returns>
    public static Tensor CausalMask(long length, Device? device = null) =>
        ones(length, length, dtype: ScalarType.Bool, device: device).tril();
}

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
