using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Additive attention (Bahdanau, Cho &amp; Bengio 2015): a decoder state <c>q</c> scores every encoder
/// output <c>h_i</c> with a one-hidden-layer network, <c>e_i = vᵀ tanh(W q + U h_i)</c>; a softmax over the
/// source positions (padding masked out) turns the scores into weights <c>α_i</c>, and the context is
/// <c>Σ α_i h_i</c>. <c>U h_i</c> does not depend on the decoder step, so it is computed once per source
/// (<see cref="ProjectKeys"/>).
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language), inside the <see cref="AttentionSeq2Seq"/> grapheme-to-phoneme model; chapter
/// 06's <see cref="Attention.ScaledDotProduct"/> scores with a dot product instead.
/// </remarks>
public sealed class AdditiveAttention : nn.Module
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _score;

    /// <summary>Creates the module.</summary>
    /// <param name="queryDim">Width of the decoder state.</param>
    /// <param name="keyDim">Width of the encoder outputs.</param>
    /// <param name="attentionDim">Width of the scoring network's hidden layer.</param>
    public AdditiveAttention(int queryDim, int keyDim, int attentionDim) : base(nameof(AdditiveAttention))
    {
        _query = nn.Linear(queryDim, attentionDim, hasBias: false);   // W
        _key = nn.Linear(keyDim, attentionDim);                        // U (its bias is the network's bias)
        _score = nn.Linear(attentionDim, 1, hasBias: false);           // v
        RegisterComponents();
    }

    /// <summary><c>U h_i</c> for every source position, once per source.</summary>
    /// <param name="keys">Encoder outputs <c>(B, S, keyDim)</c>.</param>
    /// <returns><c>(B, S, attentionDim)</c>.</returns>
    public Tensor ProjectKeys(Tensor keys) => _key.call(keys);

    /// <summary>The context vector and the attention weights for one decoder step.</summary>
    /// <param name="query">Decoder state <c>(B, queryDim)</c>.</param>
    /// <param name="projectedKeys"><see cref="ProjectKeys"/> of the encoder outputs, <c>(B, S, attentionDim)</c>.</param>
    /// <param name="values">Encoder outputs <c>(B, S, Dv)</c>.</param>
    /// <param name="mask">Boolean <c>(B, S)</c>, <c>true</c> at real (not padding) positions; <c>null</c> = all real.</param>
    /// <returns>Context <c>(B, Dv)</c> and weights <c>(B, S)</c> (each row sums to 1, 0 on padding).</returns>
    public (Tensor Context, Tensor Weights) Attend(Tensor query, Tensor projectedKeys, Tensor values, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(projectedKeys);
        ArgumentNullException.ThrowIfNull(values);
        var hidden = tanh(_query.call(query).unsqueeze(1) + projectedKeys);       // (B, S, A)
        var scores = _score.call(hidden).squeeze(-1);                              // (B, S)
        if (mask is not null) scores = scores.masked_fill(mask.logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1);                                          // (B, S)
        var context = weights.unsqueeze(1).bmm(values).squeeze(1);                 // (B, 1, S) x (B, S, Dv) -> (B, Dv)
        return (context, weights);
    }
}
