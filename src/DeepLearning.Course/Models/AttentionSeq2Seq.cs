using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of an <see cref="AttentionSeq2Seq"/>.</summary>
/// <param name="SourceVocab">Source tokens (letters), padding included.</param>
/// <param name="TargetVocab">Target tokens (phonemes), padding, start and end included.</param>
/// <param name="SourceLength">Source tokens per example in the packed input of <see cref="AttentionSeq2Seq.forward"/>.</param>
/// <param name="SourcePad">The source padding token.</param>
/// <param name="TargetPad">The target padding token.</param>
/// <param name="StartToken">The token the decoder starts from.</param>
/// <param name="EndToken">The token that ends a target.</param>
/// <param name="EmbeddingDim">Width of the token embeddings.</param>
/// <param name="HiddenSize">Width of each encoder direction and of the decoder state.</param>
/// <param name="Dropout">Dropout on embeddings and on the decoder output.</param>
/// <remarks>Introduced in chapter 12 (language).</remarks>
public sealed record AttentionSeq2SeqConfig(int SourceVocab, int TargetVocab, int SourceLength, int SourcePad, int TargetPad,
    int StartToken, int EndToken, int EmbeddingDim = 64, int HiddenSize = 128, double Dropout = 0.1);

/// <summary>The encoder's output for a batch of sources, reused at every decoder step.</summary>
/// <param name="Memory">Encoder outputs <c>(B, S, 2H)</c>, both directions side by side.</param>
/// <param name="Keys">Their projection for additive attention <c>(B, S, H)</c>.</param>
/// <param name="Mask">Boolean <c>(B, S)</c>, <c>true</c> at real letters.</param>
/// <param name="Initial">The decoder's first state <c>(B, H)</c>.</param>
/// <remarks>Introduced in chapter 12 (language), with <see cref="AttentionSeq2Seq"/>.</remarks>
public sealed record EncodedSource(Tensor Memory, Tensor Keys, Tensor Mask, Tensor Initial)
{
    /// <summary>Each source repeated <paramref name="times"/> times in a row (for the beams of <see cref="BeamSearch"/>).</summary>
    /// <param name="times">Repetitions.</param>
    /// <returns>The repeated encoding.</returns>
    public EncodedSource Repeat(int times) => times == 1 ? this
        : new(Memory.repeat_interleave(times, 0), Keys.repeat_interleave(times, 0), Mask.repeat_interleave(times, 0), Initial.repeat_interleave(times, 0));
}

/// <summary>
/// An RNN encoder–decoder with additive attention (Bahdanau, Cho &amp; Bengio 2015): a bidirectional GRU reads
/// the source; a GRU cell writes the target one token at a time, and before each token it looks back at every
/// source position through <see cref="AdditiveAttention"/>, feeding the context vector in beside the previous token.
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language) for grapheme-to-phoneme conversion on CMUdict. As with
/// <see cref="Seq2SeqTransformer"/>, <c>forward</c> takes one int64 tensor <c>[B, SourceLength + T]</c> (the padded
/// source, then the decoder input: start token and the target shifted right) so the one <c>Trainer</c> trains it
/// with teacher forcing; <see cref="Greedy"/> and <see cref="Beam"/> decode through <see cref="BeamSearch"/>.
/// </remarks>
public sealed class AttentionSeq2Seq : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _sourceEmbedding;
    private readonly GRU _encoder;
    private readonly Linear _bridge;
    private readonly AdditiveAttention _attention;
    private readonly Embedding _targetEmbedding;
    private readonly GRUCell _cell;
    private readonly Dropout _dropout;
    private readonly Linear _output;

    /// <summary>Builds the model.</summary>
    /// <param name="config">The hyperparameters.</param>
    public AttentionSeq2Seq(AttentionSeq2SeqConfig config) : base(nameof(AttentionSeq2Seq))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var (E, H) = (config.EmbeddingDim, config.HiddenSize);
        _sourceEmbedding = nn.Embedding(config.SourceVocab, E, padding_idx: config.SourcePad);
        _encoder = nn.GRU(E, H, batchFirst: true, bidirectional: true);
        _bridge = nn.Linear(2 * H, H);
        _attention = new AdditiveAttention(queryDim: H, keyDim: 2 * H, attentionDim: H);
        _targetEmbedding = nn.Embedding(config.TargetVocab, E, padding_idx: config.TargetPad);
        _cell = nn.GRUCell(E + 2 * H, H);
        _dropout = nn.Dropout(config.Dropout);
        _output = nn.Linear(H + 2 * H, config.TargetVocab);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public AttentionSeq2SeqConfig Config { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Teacher-forced target logits for sources and decoder inputs packed side by side.</summary>
    /// <param name="sourceThenTarget">int64 <c>[B, SourceLength + T]</c>.</param>
    /// <returns><c>(B, T, V)</c>.</returns>
    public override Tensor forward(Tensor sourceThenTarget)
    {
        var S = Config.SourceLength;
        var source = sourceThenTarget.narrow(1, 0, S);                                 // (B, S)
        var target = sourceThenTarget.narrow(1, S, sourceThenTarget.shape[1] - S);     // (B, T)
        return TeacherForced(source, target).Logits;
    }

    /// <summary>Reads a batch of sources once: encoder outputs, their attention keys, the padding mask, the decoder's first state.</summary>
    /// <param name="source">int64 <c>(B, S)</c>, padded with <see cref="AttentionSeq2SeqConfig.SourcePad"/>.</param>
    /// <returns>The encoding.</returns>
    public EncodedSource Encode(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var mask = source.ne(Config.SourcePad);                                        // (B, S)
        var x = _dropout.call(_sourceEmbedding.call(source));                          // (B, S, E)
        var memory = _encoder.call(x, null).Item1;                                     // (B, S, 2H)
        var m = mask.unsqueeze(-1).to_type(memory.dtype);                              // (B, S, 1)
        var mean = (memory * m).sum(1) / m.sum(1).clamp_min(1);                        // (B, 2H): mean over real letters
        return new EncodedSource(memory, _attention.ProjectKeys(memory), mask, tanh(_bridge.call(mean)));
    }

    /// <summary>One decoder step for a batch: previous tokens and states to next-token logits, new states and attention weights.</summary>
    /// <param name="previous">int64 <c>(B)</c>: the previous target token (the start token first).</param>
    /// <param name="state">Decoder states <c>(B, H)</c>.</param>
    /// <param name="source">The encoding of the B sources.</param>
    /// <returns>Logits <c>(B, V)</c>, the new state <c>(B, H)</c>, attention weights <c>(B, S)</c>.</returns>
    public (Tensor Logits, Tensor State, Tensor Weights) Step(Tensor previous, Tensor state, EncodedSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (context, weights) = _attention.Attend(state, source.Keys, source.Memory, source.Mask);   // (B, 2H), (B, S)
        var input = cat([_dropout.call(_targetEmbedding.call(previous)), context], 1);                // (B, E + 2H)
        var next = _cell.call(input, state);                                                          // (B, H)
        var logits = _output.call(_dropout.call(cat([next, context], 1)));                           // (B, V)
        return (logits, next, weights);
    }

    /// <summary>Teacher forcing: the decoder reads the true previous token at every step.</summary>
    /// <param name="source">int64 <c>(B, S)</c>.</param>
    /// <param name="decoderInput">int64 <c>(B, T)</c>: start token, then the target shifted right.</param>
    /// <returns>Logits <c>(B, T, V)</c> and attention weights <c>(B, T, S)</c>.</returns>
    public (Tensor Logits, Tensor Weights) TeacherForced(Tensor source, Tensor decoderInput)
    {
        ArgumentNullException.ThrowIfNull(decoderInput);
        var encoded = Encode(source);
        var state = encoded.Initial;
        var logits = new List<Tensor>();
        var weights = new List<Tensor>();
        for (var t = 0; t < decoderInput.shape[1]; t++)
        {
            var (l, s, w) = Step(decoderInput.select(1, t), state, encoded);
            logits.Add(l);
            weights.Add(w);
            state = s;
        }
        return (stack(logits, 1), stack(weights, 1));
    }

    /// <summary>Greedy decoding (eval mode, no gradients).</summary>
    /// <param name="source">int64 <c>(B, S)</c>.</param>
    /// <param name="maxLength">The most tokens to emit.</param>
    /// <returns>int64 <c>(B, L)</c>: the tokens, end tokens after the end; the caller owns it.</returns>
    public Tensor Greedy(Tensor source, int maxLength) => Decode(source, null, maxLength);

    /// <summary>Beam-search decoding (eval mode, no gradients); width 1 gives the same tokens as <see cref="Greedy"/>.</summary>
    /// <param name="source">int64 <c>(B, S)</c>.</param>
    /// <param name="width">Beam width.</param>
    /// <param name="maxLength">The most tokens to emit.</param>
    /// <returns>int64 <c>(B, L)</c>: the best beam's tokens, end tokens after the end; the caller owns it.</returns>
    public Tensor Beam(Tensor source, int width, int maxLength) => Decode(source, width, maxLength);

    private Tensor Decode(Tensor source, int? beamWidth, int maxLength)
    {
        var width = beamWidth ?? 1;
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var encoded = Encode(source);
            var beams = encoded.Repeat(width);
            BeamSearch.Step step = (tokens, state) =>
            {
                var (logits, next, _) = Step(tokens, state, width == 1 ? encoded : beams);
                return (logits.log_softmax(-1), next);
            };
            var (tokens, _) = beamWidth is null
                ? BeamSearch.Greedy(step, encoded.Initial, Config.StartToken, Config.EndToken, maxLength)
                : BeamSearch.Search(step, encoded.Initial, width, Config.StartToken, Config.EndToken, maxLength);
            return tokens.MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>Attention weights while reading a given target (teacher forcing; eval mode, no gradients): letters × phonemes.</summary>
    /// <param name="source">int64 <c>(B, S)</c>.</param>
    /// <param name="decoderInput">int64 <c>(B, T)</c>: start token, then the target shifted right.</param>
    /// <returns><c>(B, T, S)</c>; the caller owns it.</returns>
    public Tensor Alignment(Tensor source, Tensor decoderInput)
    {
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            return TeacherForced(source, decoderInput).Weights.MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }
}
