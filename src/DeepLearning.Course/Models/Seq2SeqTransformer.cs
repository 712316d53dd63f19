using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="Seq2SeqTransformer"/>.</summary>
/// <param name="VocabSize">Tokens shared by source and target (including the start token).</param>
/// <param name="SourceLength">Source tokens per example.</param>
/// <param name="TargetLength">Target tokens per example (the decoder reads a start token and the first <c>TargetLength - 1</c>).</param>
/// <param name="Layers">Encoder blocks, and as many decoder blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="EmbeddingDim">Embedding width.</param>
/// <param name="Dropout">Dropout.</param>
/// <remarks>Introduced in chapter 06 (attention and transformers).</remarks>
public sealed record Seq2SeqConfig(int VocabSize, int SourceLength, int TargetLength, int Layers = 2, int Heads = 4, int EmbeddingDim = 64, double Dropout = 0);

/// <summary>
/// An encoder–decoder transformer (Vaswani et al., 2017, pre-norm): the encoder reads the whole
/// source with unmasked <see cref="TransformerBlock"/>s; the decoder writes the target one token at a
/// time with <see cref="DecoderBlock"/>s that attend causally to the target and fully to the encoder's output.
/// </summary>
/// <remarks>
/// Introduced in chapter 06 (attention and transformers), on reversing digit strings. So that the
/// one <c>Trainer</c> can train it, the forward pass takes a single int64 tensor
/// <c>[B, SourceLength + T]</c>: the source tokens followed by the decoder's input (start token, then
/// the target shifted right); it returns logits <c>[B, T, V]</c> for the target.
/// </remarks>
public sealed class Seq2SeqTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly PositionalEncoding _positions;
    private readonly ModuleList<TransformerBlock> _encoder;
    private readonly LayerNorm _lnEncoder;
    private readonly ModuleList<DecoderBlock> _decoder;
    private readonly LayerNorm _lnDecoder;
    private readonly Linear _head;

    /// <summary>Builds the model.</summary>
    /// <param name="config">The hyperparameters.</param>
    public Seq2SeqTransformer(Seq2SeqConfig config) : base(nameof(Seq2SeqTransformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var C = config.EmbeddingDim;
        _embedding = nn.Embedding(config.VocabSize, C);
        _positions = new PositionalEncoding(Math.Max(config.SourceLength, config.TargetLength), C, config.Dropout);
        _encoder = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new TransformerBlock(C, config.Heads, causal: false, config.Dropout)).ToArray());
        _lnEncoder = nn.LayerNorm(C);
        _decoder = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new DecoderBlock(C, config.Heads, config.Dropout)).ToArray());
        _lnDecoder = nn.LayerNorm(C);
        _head = nn.Linear(C, config.VocabSize);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public Seq2SeqConfig Config { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Target logits for sources and decoder inputs packed side by side.</summary>
    /// <param name="sourceThenTarget">int64 <c>[B, SourceLength + T]</c>.</param>
    /// <returns><c>[B, T, V]</c>.</returns>
    public override Tensor forward(Tensor sourceThenTarget)
    {
        var S = Config.SourceLength;
        var source = sourceThenTarget.narrow(1, 0, S);                                 // (B, S)
        var target = sourceThenTarget.narrow(1, S, sourceThenTarget.shape[1] - S);     // (B, T)
        return Decode(target, Encode(source));
    }

    /// <summary>The encoder: source tokens to contextual vectors.</summary>
    /// <param name="source">int64 <c>[B, S]</c>.</param>
    /// <returns><c>(B, S, C)</c>.</returns>
    public Tensor Encode(Tensor source)
    {
        var x = _positions.call(_embedding.call(source));     // (B, S, C)
        foreach (var block in _encoder) x = block.call(x);    // (B, S, C)
        return _lnEncoder.call(x);
    }

    /// <summary>The decoder: next-token logits for each target position, reading the encoder output.</summary>
    /// <param name="target">int64 decoder input <c>[B, T]</c> (start token first).</param>
    /// <param name="memory">Encoder output <c>(B, S, C)</c>.</param>
    /// <returns><c>(B, T, V)</c>.</returns>
    public Tensor Decode(Tensor target, Tensor memory)
    {
        var x = _positions.call(_embedding.call(target));          // (B, T, C)
        foreach (var block in _decoder) x = block.call(x, memory); // (B, T, C)
        return _head.call(_lnDecoder.call(x));                     // (B, T, V)
    }

    /// <summary>Greedy decoding: encodes once, then emits <see cref="Seq2SeqConfig.TargetLength"/> tokens one at a time.</summary>
    /// <param name="source">int64 <c>[B, S]</c>.</param>
    /// <param name="startToken">The token the decoder starts from.</param>
    /// <returns>int64 <c>[B, TargetLength]</c> (start token not included); the caller owns it.</returns>
    public Tensor Translate(Tensor source, int startToken)
    {
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var memory = Encode(source);
            var sequence = full(source.shape[0], 1, startToken, dtype: ScalarType.Int64, device: source.device);
            for (var i = 0; i < Config.TargetLength; i++)
            {
                var next = Decode(sequence, memory).select(1, -1).argmax(-1, keepdim: true);  // (B, 1)
                sequence = cat([sequence, next], 1);
            }
            return sequence.narrow(1, 1, Config.TargetLength).MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// Beam-search decoding (eval mode, no gradients) through <see cref="BeamSearch"/>: the decoder re-reads each
    /// beam's whole prefix at every step, so the search's per-beam state is the prefix itself.
    /// </summary>
    /// <param name="source">int64 <c>[B, S]</c>.</param>
    /// <param name="startToken">The token the decoder starts from.</param>
    /// <param name="endToken">The token that ends a target.</param>
    /// <param name="width">Beam width (1 gives the tokens of <see cref="Translate"/> up to the end token).</param>
    /// <returns>int64 <c>[B, L]</c>, <c>L ≤ TargetLength</c>, end tokens after the end; the caller owns it.</returns>
    /// <remarks>Added in chapter 12 (language), for grapheme-to-phoneme conversion beside the attention GRU.</remarks>
    public Tensor Beam(Tensor source, int startToken, int endToken, int width)
    {
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var memory = Encode(source).repeat_interleave(width, 0);                                  // (B·K, S, C)
            BeamSearch.Step step = (tokens, prefix) =>
            {
                var sequence = cat([prefix, tokens.unsqueeze(1)], 1);                                 // (B·K, t + 1)
                return (Decode(sequence, memory).select(1, -1).log_softmax(-1), sequence);
            };
            var empty = zeros(source.shape[0], 0, dtype: ScalarType.Int64, device: source.device);      // (B, 0): no prefix yet
            var (tokens, _) = BeamSearch.Search(step, empty, width, startToken, endToken, Config.TargetLength);
            return tokens.MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>Cross-attention weights of every decoder block for packed inputs (eval mode, no gradients).</summary>
    /// <param name="sourceThenTarget">int64 <c>[B, SourceLength + T]</c>.</param>
    /// <returns>One tensor <c>(B, heads, T, S)</c> per decoder block; the caller owns them.</returns>
    public Tensor[] CrossAttentionMaps(Tensor sourceThenTarget)
    {
        var wasTraining = training;
        eval();
        try
        {
            foreach (var block in _decoder) block.CrossAttention.CaptureWeights = true;
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            forward(sourceThenTarget);
            return _decoder.Select(b => b.CrossAttention.LastWeights!.MoveToOuterDisposeScope()).ToArray();
        }
        finally
        {
            foreach (var block in _decoder) block.CrossAttention.CaptureWeights = false;
            train(wasTraining);
        }
    }
}
