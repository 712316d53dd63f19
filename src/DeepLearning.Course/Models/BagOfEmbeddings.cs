using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="BagOfEmbeddings"/>.</summary>
/// <param name="VocabSize">Tokens, padding included.</param>
/// <param name="PadToken">The padding token (its embedding stays zero and it is left out of the mean).</param>
/// <param name="EmbeddingDim">Width of each token's vector.</param>
/// <param name="Outputs">Outputs: 1 for a binary logit (returned as <c>[B]</c>), else class logits <c>[B, Outputs]</c>.</param>
/// <remarks>Introduced in chapter 12 (language).</remarks>
public sealed record BagOfEmbeddingsConfig(int VocabSize, int PadToken, int EmbeddingDim = 32, int Outputs = 1);

/// <summary>
/// An embedding bag (fastText's classifier, Joulin et al. 2017): every token of a document gets a learned vector,
/// the document is the mean of its tokens' vectors (word order ignored, as in a bag of words), and a linear layer
/// reads the mean. With width 1 and a sum instead of a mean it would be logistic regression on word counts.
/// </summary>
/// <remarks>Introduced in chapter 12 (language), for spam classification.</remarks>
public sealed class BagOfEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly Linear _head;

    /// <summary>Builds the model.</summary>
    /// <param name="config">The hyperparameters.</param>
    public BagOfEmbeddings(BagOfEmbeddingsConfig config) : base(nameof(BagOfEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _embedding = nn.Embedding(config.VocabSize, config.EmbeddingDim, padding_idx: config.PadToken);
        _head = nn.Linear(config.EmbeddingDim, config.Outputs);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public BagOfEmbeddingsConfig Config { get; }

    /// <summary>Logits for a batch of padded documents.</summary>
    /// <param name="tokens">int64 <c>(B, L)</c>, padded with <see cref="BagOfEmbeddingsConfig.PadToken"/>.</param>
    /// <returns><c>(B)</c> for one output, else <c>(B, Outputs)</c>.</returns>
    public override Tensor forward(Tensor tokens)
    {
        var real = tokens.ne(Config.PadToken).unsqueeze(-1).to_type(ScalarType.Float32);   // (B, L, 1)
        var vectors = _embedding.call(tokens);                                            // (B, L, D)
        var mean = (vectors * real).sum(1) / real.sum(1).clamp_min(1);                    // (B, D)
        var logits = _head.call(mean);                                                    // (B, O)
        return Config.Outputs == 1 ? logits.squeeze(-1) : logits;
    }
}
