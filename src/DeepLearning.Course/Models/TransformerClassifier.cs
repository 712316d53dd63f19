using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="TransformerClassifier"/>.</summary>
/// <param name="VocabSize">Tokens, padding included.</param>
/// <param name="MaxLength">Longest document (tokens).</param>
/// <param name="PadToken">The padding token (left out of the pooled mean).</param>
/// <param name="Layers">Encoder blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="EmbeddingDim">Embedding width.</param>
/// <param name="Dropout">Dropout.</param>
/// <param name="Outputs">Outputs: 1 for a binary logit (returned as <c>[B]</c>), else class logits.</param>
/// <remarks>Introduced in chapter 12 (language).</remarks>
public sealed record TransformerClassifierConfig(int VocabSize, int MaxLength, int PadToken, int Layers = 2, int Heads = 4,
    int EmbeddingDim = 64, double Dropout = 0.1, int Outputs = 1);

/// <summary>
/// A small transformer encoder for documents (BERT's layout, trained from scratch): token embeddings plus
/// sinusoidal positions, unmasked <see cref="TransformerBlock"/>s so every token sees every other, a final layer
/// norm, the mean over the real (not padding) tokens, and a linear head.
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language), for spam classification beside the bag of words and the
/// <see cref="BagOfEmbeddings"/>. Padding tokens take part in self-attention (the blocks have no key mask), so
/// they act as learned filler; only the pooling leaves them out.
/// </remarks>
public sealed class TransformerClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly PositionalEncoding _positions;
    private readonly ModuleList<TransformerBlock> _blocks;
    private readonly LayerNorm _ln;
    private readonly Linear _head;

    /// <summary>Builds the model.</summary>
    /// <param name="config">The hyperparameters.</param>
    public TransformerClassifier(TransformerClassifierConfig config) : base(nameof(TransformerClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var C = config.EmbeddingDim;
        _embedding = nn.Embedding(config.VocabSize, C, padding_idx: config.PadToken);
        _positions = new PositionalEncoding(config.MaxLength, C, config.Dropout);
        _blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new TransformerBlock(C, config.Heads, causal: false, config.Dropout)).ToArray());
        _ln = nn.LayerNorm(C);
        _head = nn.Linear(C, config.Outputs);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public TransformerClassifierConfig Config { get; }

    /// <summary>Logits for a batch of padded documents.</summary>
    /// <param name="tokens">int64 <c>(B, L)</c>, <c>L ≤ MaxLength</c>, padded with <see cref="TransformerClassifierConfig.PadToken"/>.</param>
    /// <returns><c>(B)</c> for one output, else <c>(B, Outputs)</c>.</returns>
    public override Tensor forward(Tensor tokens)
    {
        var x = _positions.call(_embedding.call(tokens));                                 // (B, L, C)
        foreach (var block in _blocks) x = block.call(x);                                 // (B, L, C)
        x = _ln.call(x);
        var real = tokens.ne(Config.PadToken).unsqueeze(-1).to_type(x.dtype);             // (B, L, 1)
        var pooled = (x * real).sum(1) / real.sum(1).clamp_min(1);                       // (B, C)
        var logits = _head.call(pooled);                                                  // (B, O)
        return Config.Outputs == 1 ? logits.squeeze(-1) : logits;
    }
}
