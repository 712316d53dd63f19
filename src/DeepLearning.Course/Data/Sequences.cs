using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>Training tensors cut from encoded text: next-token windows, padded batches, skip-gram pairs.</summary>
/// <remarks>Introduced in chapter 04 (RNN: next-token windows, padded names); chapter 05 adds skip-gram pairs for word embeddings.</remarks>
public static class Sequences
{
    /// <summary>
    /// Cuts token indices into non-overlapping windows of <paramref name="length"/> inputs, each with the same
    /// window shifted one token ahead as targets: <c>X</c> int64 [N, length], <c>Y</c> int64 [N, length].
    /// </summary>
    /// <param name="tokens">Encoded text.</param>
    /// <param name="length">Steps per window.</param>
    /// <param name="stride">Distance between window starts (default: <paramref name="length"/>, i.e. no overlap).</param>
    /// <returns>Inputs and targets.</returns>
    public static (Tensor X, Tensor Y) NextToken(IReadOnlyList<int> tokens, int length, int? stride = null)
    {
        var step = stride ?? length;
        if (length < 1 || step < 1) throw new ArgumentOutOfRangeException(nameof(length), "length and stride must be at least 1");
        var starts = new List<int>();
        for (var s = 0; s + length < tokens.Count; s += step) starts.Add(s);
        var x = new long[starts.Count * length];
        var y = new long[starts.Count * length];
        for (var n = 0; n < starts.Count; n++)
        for (var t = 0; t < length; t++)
        {
            x[n * length + t] = tokens[starts[n] + t];
            y[n * length + t] = tokens[starts[n] + t + 1];
        }
        return (torch.tensor(x, [starts.Count, length]), torch.tensor(y, [starts.Count, length]));
    }
    /// <summary>
    /// Pads encoded sequences (e.g. names) to the longest one: int64 [N, maxLength] filled with
    /// <paramref name="padIndex"/> after each sequence, and the true lengths [N].
    /// </summary>
    /// <param name="sequences">Encoded sequences.</param>
    /// <param name="padIndex">Index used for padding.</param>
    /// <param name="length">Pad to this length instead of the longest sequence's (chapter 12: fixed-width letters and phonemes); a longer sequence is an error.</param>
    /// <returns>The padded batch and the lengths.</returns>
    public static (Tensor Padded, Tensor Lengths) Pad(IReadOnlyList<int[]> sequences, int padIndex, int? length = null)
    {
        var longest = sequences.Count == 0 ? 0 : sequences.Max(s => s.Length);
        if (length < longest) throw new ArgumentException($"a sequence of {longest} tokens does not fit in {length}", nameof(length));
        var max = length ?? longest;
        var data = new long[sequences.Count * max];
        Array.Fill(data, padIndex);
        for (var n = 0; n < sequences.Count; n++)
            for (var t = 0; t < sequences[n].Length; t++) data[n * max + t] = sequences[n][t];
        return (torch.tensor(data, [sequences.Count, max]), torch.tensor(sequences.Select(s => (long)s.Length).ToArray()));
    }

    /// <summary>
    /// Skip-gram training pairs for word embeddings: every (center, context) pair with the context within
    /// <paramref name="window"/> tokens of the center, as int64 tensors [P]. Pairs whose center or context is
    /// below <paramref name="skipBelow"/> (e.g. <c>&lt;unk&gt;</c> and other specials) are left out. When
    /// <paramref name="maxPairs"/> is given, a seeded random subset of that size is kept.
    /// </summary>
    /// <param name="tokens">Encoded text.</param>
    /// <param name="window">Context radius.</param>
    /// <param name="skipBelow">Skip token indices smaller than this (1 skips <c>&lt;unk&gt;</c>).</param>
    /// <param name="maxPairs">Keep at most this many pairs.</param>
    /// <param name="seed">Seed of the subset.</param>
    /// <returns>Centers and contexts.</returns>
    public static (Tensor Centers, Tensor Contexts) SkipGramPairs(IReadOnlyList<int> tokens, int window = 2, int skipBelow = 1, int? maxPairs = null, int seed = 0)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), "window must be at least 1");
        var centers = new List<long>();
        var contexts = new List<long>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < skipBelow) continue;
            for (var j = Math.Max(0, i - window); j <= Math.Min(tokens.Count - 1, i + window); j++)
            {
                if (j == i || tokens[j] < skipBelow) continue;
                centers.Add(tokens[i]);
                contexts.Add(tokens[j]);
            }
        }
        if (maxPairs is { } max && max < centers.Count)
        {
            var keep = Splits.Permutation(centers.Count, seed)[..max];
            Array.Sort(keep);
            centers = keep.Select(k => centers[k]).ToList();
            contexts = keep.Select(k => contexts[k]).ToList();
        }
        return (torch.tensor(centers.ToArray()), torch.tensor(contexts.ToArray()));
    }
}
