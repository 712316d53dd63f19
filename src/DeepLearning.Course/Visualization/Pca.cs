using static TorchSharp.torch;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// Principal component analysis by SVD of the centered data, used to draw high-dimensional
/// embeddings in 2-D.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), as a first unsupervised look at the digits; chapter 05 projects embeddings with it.</remarks>
public sealed class Pca : IDisposable
{
    private Pca(Tensor mean, Tensor components, Tensor explainedVariance)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = explainedVariance;
    }

    /// <summary>The column means subtracted before projecting, <c>[D]</c>.</summary>
    public Tensor Mean { get; }

    /// <summary>Principal directions as unit rows, <c>[k, D]</c>, strongest first; each row's
    /// largest-magnitude entry is positive, so results are deterministic.</summary>
    public Tensor Components { get; }

    /// <summary>Variance of the data along each component, <c>[k]</c>.</summary>
    public Tensor ExplainedVariance { get; }

    /// <summary>Fits the first <paramref name="k"/> principal components of the rows of <paramref name="X"/>.</summary>
    /// <param name="X">Data <c>[N, D]</c>.</param>
    /// <param name="k">Number of components (at most <c>min(N, D)</c>).</param>
    /// <returns>The fitted PCA; dispose it to free its tensors.</returns>
    public static Pca Fit(Tensor X, int k)
    {
        ArgumentNullException.ThrowIfNull(X);
        if (X.dim() != 2) throw new ArgumentException($"Pca expects [N, D] data, got shape [{string.Join(", ", X.shape)}].");
        var max = (int)Math.Min(X.shape[0], X.shape[1]);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, max);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        using var scope = NewDisposeScope();
        var data = X.detach().to_type(ScalarType.Float64);
        var mean = data.mean([0]);
        var centered = data - mean;
        var (_, s, vh) = linalg.svd(centered, fullMatrices: false);
        var components = vh.narrow(0, 0, k);
        var signs = components.gather(1, components.abs().argmax(1, keepdim: true)).sign();
        components = components * signs;
        var variance = s.narrow(0, 0, k).square() / Math.Max(1, X.shape[0] - 1);
        return new Pca(mean.to_type(X.dtype).MoveToOuterDisposeScope(), components.to_type(X.dtype).MoveToOuterDisposeScope(),
            variance.to_type(X.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Projects rows of <paramref name="X"/> onto the components: <c>(X - mean) Componentsᵀ</c>.</summary>
    /// <param name="X">Data <c>[N, D]</c>.</param>
    /// <returns>Coordinates <c>[N, k]</c>.</returns>
    public Tensor Transform(Tensor X)
    {
        ArgumentNullException.ThrowIfNull(X);
        using var scope = NewDisposeScope();
        return ShapeChecks.MatMul(X.to_type(Components.dtype) - Mean, Components.t(), "PCA projection (data by components)").MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Mean.Dispose();
        Components.Dispose();
        ExplainedVariance.Dispose();
    }
}
