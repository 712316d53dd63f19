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
