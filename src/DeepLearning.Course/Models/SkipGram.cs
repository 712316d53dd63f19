using DeepLearning.Course.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="SkipGram"/> word-embedding model.</summary>
/// <param name="VocabSize">Number of tokens in the vocabulary.</param>
/// <param name="Dim">Embedding width.</param>
/// <remarks>Introduced in chapter 05 (word embeddings).</remarks>
public sealed record SkipGramConfig(int VocabSize, int Dim = 100);

/// <summary>
/// Skip-gram with negative sampling (word2vec, Mikolov et al. 2013): each word has a center vector and a
/// context vector; the model scores a (center, context) pair by their dot product and learns to tell
/// real neighbours (label 1) from words drawn from a noise distribution (label 0).
/// Input: int64 <c>[B, 1 + C]</c> = the center word, then C candidate context words; output: logits <c>[B, C]</c>.
/// </summary>
/// <remarks>
/// Introduced in chapter 05 (word embeddings on Moby Dick). Train it with <see cref="NegativeSamplingStep"/> as the
/// trainer's <see cref="TrainerOptions.Step"/> on batches of (center, context) pairs from
/// <see cref="Data.Sequences.SkipGramPairs"/>; the word vectors are <see cref="Embeddings"/>.
/// Initialization follows word2vec: center vectors uniform in ±0.5/Dim, context vectors zero.
/// </remarks>
public sealed class SkipGram : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _centers;
    private readonly Embedding _contexts;

    /// <summary>Builds the model from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public SkipGram(SkipGramConfig config) : base("SkipGram")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.VocabSize < 1 || config.Dim < 1) throw new ArgumentOutOfRangeException(nameof(config), "VocabSize and Dim must be at least 1.");
        Config = config;
        _centers = nn.Embedding(config.VocabSize, config.Dim);
        _contexts = nn.Embedding(config.VocabSize, config.Dim);
        using (no_grad())
        {
            _centers.weight!.uniform_(-0.5 / config.Dim, 0.5 / config.Dim);
            _contexts.weight!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public SkipGramConfig Config { get; }

    /// <summary>The word vectors: center embeddings <c>[VocabSize, Dim]</c> (the weight, not a copy).</summary>
    public Tensor Embeddings => _centers.weight!;

    /// <summary>Scores of candidate context words for each center word.</summary>
    /// <param name="x">int64 <c>[B, 1 + C]</c>: center word, then C candidates.</param>
    /// <returns>Logits <c>[B, C]</c>: dot products of the center vector with each candidate's context vector.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var center = _centers.call(x[.., 0]).unsqueeze(2);   // (B, D, 1)
        var context = _contexts.call(x[.., 1..]);             // (B, C, D)
        return context.bmm(center).squeeze(2)                  // (B, C)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// word2vec's noise distribution: unigram frequencies raised to <paramref name="power"/> (0.75) and normalized;
    /// tokens below <paramref name="skipBelow"/> (specials) get probability 0.
    /// </summary>
    /// <param name="tokens">The encoded training text.</param>
    /// <param name="vocabSize">Vocabulary size.</param>
    /// <param name="power">Exponent applied to counts (1: unigram, 0: uniform).</param>
    /// <param name="skipBelow">Never sample indices below this (1 leaves out <c>&lt;unk&gt;</c>).</param>
    /// <returns>float32 probabilities <c>[vocabSize]</c>.</returns>
    public static Tensor NoiseDistribution(IReadOnlyList<int> tokens, int vocabSize, double power = 0.75, int skipBelow = 1)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var counts = new double[vocabSize];
        foreach (var t in tokens) if (t >= skipBelow && t < vocabSize) counts[t]++;
        var weights = counts.Select(c => c == 0 ? 0 : Math.Pow(c, power)).ToArray();
        var total = weights.Sum();
        if (total == 0) throw new ArgumentException("No token at or above skipBelow occurs in the text.", nameof(tokens));
        return tensor(weights.Select(w => (float)(w / total)).ToArray());
    }

    /// <summary>
    /// The word2vec objective for one pair and its negatives: <c>-log σ(c·o) - Σ_k log σ(-c·n_k)</c>, averaged over the batch.
    /// </summary>
    /// <param name="logits">Model output <c>[B, 1 + K]</c>: the true context first, then K negatives.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor Loss(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        var labels = zeros_like(logits);
        labels[.., 0] = 1;
        return nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None)
            .sum(1).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A <see cref="TrainStep"/> for batches of (center, context) pairs: draws <paramref name="negatives"/> noise words per
    /// pair from <paramref name="noise"/>, scores the true context and the noise words, and takes one optimizer step on
    /// <see cref="Loss"/>.
    /// </summary>
    /// <param name="noise">Sampling probabilities <c>[VocabSize]</c> (see <see cref="NoiseDistribution"/>).</param>
    /// <param name="negatives">Noise words per pair (word2vec: 5-20 for small corpora).</param>
    /// <param name="generator">Seeded generator for the noise draws (reproducible runs); <c>null</c> uses the global one.</param>
    /// <returns>The step.</returns>
    public static TrainStep NegativeSamplingStep(Tensor noise, int negatives = 5, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentOutOfRangeException.ThrowIfLessThan(negatives, 1);
        return c =>
        {
            var centers = c.X.reshape(-1, 1);                                  // (B, 1)
            var contexts = c.Y.reshape(-1, 1);                                 // (B, 1)
            var b = centers.shape[0];
            var dist = noise.device == centers.device ? noise : noise.to(centers.device);
            var noiseWords = multinomial(dist, b * negatives, replacement: true, generator: generator)
                .reshape(b, negatives).to(centers.device);                    // (B, K)
            c.Optimizer.zero_grad();
            var logits = c.Model.call(cat([centers, contexts, noiseWords], 1)); // (B, 1 + K)
            var loss = Loss(logits);
            var value = loss.detach().item<float>();
            c.CheckFinite(value);
            loss.backward();
            c.ClipGradients();
            c.Optimizer.step();
            return new StepResult(value);
        };
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _centers.Dispose();
            _contexts.Dispose();
        }
        base.Dispose(disposing);
    }
}
