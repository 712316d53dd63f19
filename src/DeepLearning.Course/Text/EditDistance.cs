namespace DeepLearning.Course.Text;

/// <summary>
/// Levenshtein distance between two sequences (insertions, deletions and substitutions each cost 1), and the
/// error rates sequence models are judged by: the phoneme error rate (total edits over total reference
/// length) and the word error rate (the share of words with any mistake).
/// </summary>
/// <remarks>Introduced in chapter 12 (language), for grapheme-to-phoneme conversion on CMUdict.</remarks>
public static class EditDistance
{
    /// <summary>The minimum number of insertions, deletions and substitutions that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    /// <typeparam name="T">Element type (compared with <see cref="EqualityComparer{T}.Default"/>).</typeparam>
    /// <param name="a">One sequence.</param>
    /// <param name="b">The other.</param>
    /// <returns>The distance (0 when equal; at most the longer length).</returns>
    public static int Levenshtein<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var eq = EqualityComparer<T>.Default;
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var j = 0; j <= b.Count; j++) previous[j] = j;
        for (var i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Count; j++)
            {
                var substitute = previous[j - 1] + (eq.Equals(a[i - 1], b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>Phoneme (or character) error rate: total edit distance over total reference length.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="predicted">Predicted sequences.</param>
    /// <param name="references">Reference sequences, as many.</param>
    /// <returns>The rate (0 = perfect; can exceed 1).</returns>
    public static double ErrorRate<T>(IReadOnlyList<IReadOnlyList<T>> predicted, IReadOnlyList<IReadOnlyList<T>> references)
    {
        Check(predicted, references);
        long edits = 0, length = 0;
        for (var i = 0; i < references.Count; i++)
        {
            edits += Levenshtein(predicted[i], references[i]);
            length += references[i].Count;
        }
        return length == 0 ? 0 : (double)edits / length;
    }

    /// <summary>Word (sequence) error rate: the share of sequences that differ from their reference at all.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="predicted">Predicted sequences.</param>
    /// <param name="references">Reference sequences, as many.</param>
    /// <returns>The rate in [0, 1].</returns>
    public static double SequenceErrorRate<T>(IReadOnlyList<IReadOnlyList<T>> predicted, IReadOnlyList<IReadOnlyList<T>> references)
    {
        Check(predicted, references);
        var eq = EqualityComparer<T>.Default;
        var wrong = 0;
        for (var i = 0; i < references.Count; i++)
            if (predicted[i].Count != references[i].Count || predicted[i].Where((p, k) => !eq.Equals(p, references[i][k])).Any()) wrong++;
        return references.Count == 0 ? 0 : (double)wrong / references.Count;
    }

    private static void Check<T>(IReadOnlyList<IReadOnlyList<T>> predicted, IReadOnlyList<IReadOnlyList<T>> references)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(references);
        if (predicted.Count != references.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {references.Count} references", nameof(predicted));
    }
}
