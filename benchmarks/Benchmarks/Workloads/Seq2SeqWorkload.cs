using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 12's grapheme-to-phoneme model: <see cref="AttentionSeq2Seq"/> (bidirectional GRU encoder, GRU-cell decoder
/// with additive attention; embeddings 32, hidden 64, dropout 0.1) on CMUdict's training words as the chapter splits them,
/// teacher-forced, Adam 3e-3, clip 1, batch 128, cross-entropy ignoring padding. One step = encoder over 16 letters,
/// 17 decoder steps (attention, GRU cell, output layer), the loss, backward through all of it, Adam.
/// </summary>
internal static class Seq2SeqWorkload
{
    public const double LearningRate = 3e-3;
    public const int Batch = 128;

    public static Workload Create(BenchOptions options)
    {
        var g2p = G2pSet.Build(CmuDict.ForG2p(CmuDict.Load()));
        var (train, _, _) = Splits.Partition(g2p.Entries.Count, validationFraction: 0.02, testFraction: 0.1, seed: 0);
        var (X, Y) = g2p.Packed(train);
        var config = new AttentionSeq2SeqConfig(SourceVocab: g2p.Letters.Count, TargetVocab: g2p.Phonemes.Count, SourceLength: g2p.SourceLength,
            SourcePad: g2p.Pad, TargetPad: g2p.Pad, StartToken: g2p.Start, EndToken: g2p.End, EmbeddingDim: 32, HiddenSize: 64, Dropout: 0.1);
        var pad = g2p.Pad;
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "seq2seq",
            Title = $"AttentionSeq2Seq bi-GRU encoder + GRU-cell decoder, additive attention, E {config.EmbeddingDim}, H {config.HiddenSize}, " +
                    $"{g2p.SourceLength} letters -> {g2p.TargetLength} phonemes, Adam, clip 1, batch {Batch} (ch12, CMUdict G2P)",
            Unit = "words/s",
            X = X,
            Y = Y,
            BatchSize = Batch,
            Model = () => new AttentionSeq2Seq(config),
            Options = new TrainerOptions
            {
                LearningRate = LearningRate, Optimizer = Optimizers.Adam(), ClipGradientNorm = 1.0, Loss = Losses.CrossEntropyIgnoring(pad),
            },
            HandOptimizer = p => optim.Adam(p, LearningRate),
            HandLoss = (yHat, y) => nn.functional.cross_entropy(yHat.reshape(-1, yHat.shape[^1]), y.reshape(-1), ignore_index: pad),
            PythonModule = "seq2seq",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["source_vocab"] = config.SourceVocab, ["target_vocab"] = config.TargetVocab, ["source_length"] = config.SourceLength,
                ["source_pad"] = config.SourcePad, ["target_pad"] = config.TargetPad, ["embedding_dim"] = config.EmbeddingDim,
                ["hidden_size"] = config.HiddenSize, ["dropout"] = config.Dropout,
            },
        });
    }
}
