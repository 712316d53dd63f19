using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Decoding a sequence model token by token: greedy search keeps the single most likely next token at every
/// step; beam search keeps the <c>width</c> most likely prefixes (by summed log-probability), extends each by
/// every token, and keeps the best <c>width</c> of those. A finished prefix (it emitted the end token) keeps its
/// score and only ever emits the end token again. With width 1, beam search is greedy search.
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language), where greedy search and beams of 3 and 5 decode the grapheme-to-phoneme
/// model (<see cref="AttentionSeq2Seq"/>). The model is reached through a step function, so any decoder can use it.
/// Scores are not normalised by length.
/// </remarks>
public static class BeamSearch
{
    /// <summary>
    /// One decoder step: the last tokens <c>int64 (R)</c> and the states <c>(R, ...)</c> of R prefixes give the
    /// next-token log-probabilities <c>(R, V)</c> and the new states <c>(R, ...)</c>.
    /// </summary>
    /// <param name="tokens">The last token of each prefix.</param>
    /// <param name="state">The decoder state of each prefix.</param>
    /// <returns>Log-probabilities and new states.</returns>
    public delegate (Tensor LogProbs, Tensor State) Step(Tensor tokens, Tensor state);

    /// <summary>Beam search for a batch of B sources.</summary>
    /// <param name="step">The decoder step; it sees <c>B · width</c> rows, source b's beams in rows <c>b·width .. b·width + width - 1</c>.</param>
    /// <param name="initialState">Each source's start state <c>(B, ...)</c>; it is repeated for every beam.</param>
    /// <param name="width">Beam width (1 = greedy).</param>
    /// <param name="startToken">The token decoding starts from.</param>
    /// <param name="endToken">The token that ends a sequence.</param>
    /// <param name="maxLength">The most tokens to emit (the end token included).</param>
    /// <returns>The best sequence per source (int64 <c>(B, L)</c>, <c>L ≤ maxLength</c>, end tokens after the end) and its log-probability <c>(B)</c>.</returns>
    public static (Tensor Tokens, Tensor Scores) Search(Step step, Tensor initialState, int width, int startToken, int endToken, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var B = initialState.shape[0];
        var K = width;
        var state = initialState.repeat_interleave(K, 0);                                                   // (B·K, ...)
        var tokens = full(B * K, startToken, dtype: ScalarType.Int64, device: initialState.device);          // (B·K)
        // Only the first beam is live at the start, so the K beams do not all pick the same first token.
        var scores = zeros(B, K, device: initialState.device).index_fill_(1, arange(1, K, dtype: ScalarType.Int64, device: initialState.device), double.NegativeInfinity);
        var finished = zeros(B, K, dtype: ScalarType.Bool, device: initialState.device);
        Tensor? history = null;                                                                              // (B, K, t)
        for (var t = 0; t < maxLength; t++)
        {
            var (logProbs, newState) = step(tokens, state);                                                  // (B·K, V)
            var V = logProbs.shape[1];
            var lp = logProbs.view(B, K, V);
            // A finished beam may only emit the end token, at no cost.
            var endOnly = full(V, double.NegativeInfinity, device: lp.device).index_fill_(0, tensor(new long[] { endToken }, device: lp.device), 0.0);
            lp = where(finished.unsqueeze(-1), endOnly.view(1, 1, V), lp);
            var candidates = (scores.unsqueeze(-1) + lp).view(B, K * V);                                      // (B, K·V)
            var (best, index) = candidates.topk(K, dim: 1);                                                  // (B, K)
            var beam = index.div(V, rounding_mode: RoundingMode.floor);                                      // which prefix
            var token = index.remainder(V);                                                                  // which token
            var rows = (beam + arange(B, device: beam.device).unsqueeze(1) * K).view(-1);                    // (B·K) rows of the chosen prefixes
            state = newState.index_select(0, rows);
            history = history is null
                ? token.unsqueeze(-1)
                : cat([history.view(B * K, -1).index_select(0, rows).view(B, K, -1), token.unsqueeze(-1)], -1);
            finished = finished.view(-1).index_select(0, rows).view(B, K).logical_or(token.eq(endToken));
            scores = best;
            tokens = token.view(-1);
            if (finished.all().item<bool>()) break;
        }
        var top = scores.argmax(1);                                                                          // (B)
        var chosen = history!.gather(1, top.view(B, 1, 1).expand(B, 1, history.shape[2])).squeeze(1);       // (B, L)
        return (chosen.MoveToOuterDisposeScope(), scores.gather(1, top.view(B, 1)).squeeze(1).MoveToOuterDisposeScope());
    }

    /// <summary>Greedy search for a batch: at every step each row takes its arg-max token.</summary>
    /// <param name="step">The decoder step (B rows).</param>
    /// <param name="initialState">Start states <c>(B, ...)</c>.</param>
    /// <param name="startToken">The token decoding starts from.</param>
    /// <param name="endToken">The token that ends a sequence.</param>
    /// <param name="maxLength">The most tokens to emit.</param>
    /// <returns>int64 <c>(B, L)</c> tokens (a row that ended keeps emitting the end token) and their log-probability <c>(B)</c>.</returns>
    public static (Tensor Tokens, Tensor Scores) Greedy(Step step, Tensor initialState, int startToken, int endToken, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(initialState);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var B = initialState.shape[0];
        var state = initialState;
        var tokens = full(B, startToken, dtype: ScalarType.Int64, device: initialState.device);
        var finished = zeros(B, dtype: ScalarType.Bool, device: initialState.device);
        var score = zeros(B, device: initialState.device);
        var emitted = new List<Tensor>();
        for (var t = 0; t < maxLength; t++)
        {
            var (logProbs, newState) = step(tokens, state);                                                  // (B, V)
            var next = logProbs.argmax(1);                                                                   // (B)
            next = where(finished, full_like(next, endToken), next);
            score = score + where(finished, zeros_like(score), logProbs.gather(1, next.unsqueeze(1)).squeeze(1));
            emitted.Add(next);
            finished = finished.logical_or(next.eq(endToken));
            state = newState;
            tokens = next;
            if (finished.all().item<bool>()) break;
        }
        return (stack(emitted, 1).MoveToOuterDisposeScope(), score.MoveToOuterDisposeScope());
    }

    /// <summary>Cuts decoded rows at their first end token (left out) into plain arrays.</summary>
    /// <param name="tokens">int64 <c>(B, L)</c>.</param>
    /// <param name="endToken">The end token.</param>
    /// <returns>One array per row.</returns>
    public static IReadOnlyList<int[]> ToSequences(Tensor tokens, int endToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var L = (int)tokens.shape[1];
        var flat = tokens.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        return Enumerable.Range(0, (int)tokens.shape[0]).Select(b =>
        {
            var row = flat.AsSpan(b * L, L);
            var end = row.IndexOf(endToken);
            return (end < 0 ? row : row[..end]).ToArray().Select(v => (int)v).ToArray();
        }).ToArray();
    }
}
