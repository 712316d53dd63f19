using System.Text.Json.Nodes;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>Chapter 04's character LSTM on Moby Dick: <c>CharRnnConfig(V, 32, 256, 1, Lstm)</c>, Adam 5e-3, clip 1, batch 64, windows of 64 (its cosine schedule steps per epoch, so it is left out).</summary>
internal static class LstmWorkload
{
    public const int Batch = 64;
    public const double LearningRate = 5e-3;

    public static Workload Create(BenchOptions options)
    {
        var (X, Y, vocab) = TextData.Windows;
        var config = new CharRnnConfig(vocab, EmbeddingDim: 32, HiddenSize: 256, NumLayers: 1, Cell: RecurrentCell.Lstm);
        var (E, H) = (config.EmbeddingDim, config.HiddenSize);
        var macsPerToken = 4.0 * H * (E + H) + (double)H * vocab;   // the four gates, then the output layer
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "lstm",
            Title = $"CharRnn LSTM emb {E}, hidden {H}, vocab {vocab}, Adam, clip 1, batch {Batch} x {TextData.Window} chars (ch04, Moby Dick)",
            Unit = "tokens/s",
            ItemsPerExample = TextData.Window,
            X = X,
            Y = Y,
            BatchSize = Batch,
            Model = () => new CharRnn(config),
            Options = new TrainerOptions
            {
                LearningRate = LearningRate, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy, ClipGradientNorm = 1.0,
            },
            HandOptimizer = p => optim.Adam(p, LearningRate),
            HandLoss = SequenceCrossEntropy,
            ForwardFlopsPerStep = 2 * macsPerToken * Batch * TextData.Window,
            FlopsNote = "per token: LSTM gates 4·H·(E + H) + output layer H·V multiply-adds",
            PythonModule = "lstm",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["vocab_size"] = vocab, ["embedding_dim"] = E, ["hidden_size"] = H, ["num_layers"] = config.NumLayers,
            },
        });
    }

    /// <summary>Cross-entropy over every position of [B, T, V] logits, as a loop writes it by hand.</summary>
    public static Tensor SequenceCrossEntropy(Tensor yHat, Tensor y) =>
        nn.functional.cross_entropy(yHat.reshape(-1, yHat.shape[^1]), y.reshape(-1));
}
