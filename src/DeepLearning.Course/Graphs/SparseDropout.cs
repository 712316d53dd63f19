using static TorchSharp.torch;

namespace DeepLearning.Course.Graphs;

/// <summary>
/// Dropout for sparse node features (Kipf &amp; Welling's <c>sparse_dropout</c>). Dropout multiplies each entry by 0 or
/// 1/(1 − p); an entry that is 0 stays 0 either way, so only the stored (non-zero) values need a random draw. Cora's
/// bag-of-words features are 98.7% zeros: dense dropout draws 3.9 million numbers per step, this 49,216, and the first
/// layer's product becomes a sparse-by-dense one. The result has the same distribution as dense dropout.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks), inside <see cref="Models.Gcn"/> and <see cref="Models.Gat"/>.</remarks>
public static class SparseDropout
{
    /// <summary>Dropout of <paramref name="x"/>: on its stored values when it is a sparse COO tensor, else ordinary dropout.</summary>
    /// <param name="x">float32 [N, F], sparse (COO) or dense.</param>
    /// <param name="p">Probability of zeroing an entry.</param>
    /// <param name="training">Only drop while training (else the values pass unchanged).</param>
    /// <returns>A tensor of the same layout and shape.</returns>
    public static Tensor Apply(Tensor x, double p, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x.is_sparse) return nn.functional.dropout(x, p, training);
        using var scope = NewDisposeScope();
        var values = nn.functional.dropout(x.SparseValues, p, training);    // (stored entries)
        return sparse_coo_tensor(x.SparseIndices, values, x.shape).MoveToOuterDisposeScope();
    }
}
