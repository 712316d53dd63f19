using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Cosine similarity between rows of an embedding matrix, and nearest neighbours by it.</summary>
/// <remarks>Introduced in chapter 05 (movie factors and word vectors).</remarks>
public static class Similarity
{
    /// <summary>Cosine similarity of rows <paramref name="a"/> and <paramref name="b"/> of <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">A matrix <c>[N, D]</c>.</param>
    /// <param name="a">A row index.</param>
    /// <param name="b">Another row index.</param>
    /// <returns>The cosine, in [-1, 1].</returns>
    public static double Cosine(Tensor embeddings, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        using var scope = NewDisposeScope();
        var e = embeddings.detach().to_type(ScalarType.Float64);
        return nn.functional.cosine_similarity(e[a].unsqueeze(0), e[b].unsqueeze(0)).item<double>();
    }

    /// <summary>
    /// The <paramref name="k"/> rows most similar to row <paramref name="index"/> by cosine similarity (the row itself excluded),
    /// most similar first; only rows for which <paramref name="include"/> holds are candidates.
    /// </summary>
    /// <param name="embeddings">A matrix <c>[N, D]</c>.</param>
    /// <param name="index">The query row.</param>
    /// <param name="k">How many neighbours.</param>
    /// <param name="include">Candidate filter (e.g. popular movies only, or no special tokens); <c>null</c>: every row.</param>
    /// <returns>Row indices with their cosine similarity to the query.</returns>
    public static IReadOnlyList<(int Index, double Cosine)> Nearest(Tensor embeddings, int index, int k = 5, Func<int, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        using var scope = NewDisposeScope();
        var e = nn.functional.normalize(embeddings.detach().to_type(ScalarType.Float64), dim: 1);
        var sims = ShapeChecks.MatMul(e, e[index], "cosine similarities (embeddings by one embedding)").cpu().data<double>().ToArray(); // (N)
        return Enumerable.Range(0, sims.Length)
            .Where(i => i != index && (include?.Invoke(i) ?? true))
            .OrderByDescending(i => sims[i])
            .Take(k)
            .Select(i => (i, sims[i]))
            .ToArray();
    }
}
