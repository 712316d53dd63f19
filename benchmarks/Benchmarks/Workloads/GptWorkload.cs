using System.Text.Json.Nodes;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>Chapter 06's small GPT on the Moby Dick windows: 4 layers, 4 heads, 128 wide, no dropout, Adam 2e-3, clip 1, batch 32 (its cosine schedule steps per epoch, so it is left out).</summary>
internal static class GptWorkload
{
    public const double LearningRate = 2e-3;
    public const int Batch = 32;

    public static Workload Create(BenchOptions options)
    {
        var (X, Y, vocab) = TextData.Windows;
        var config = new GptConfig(vocab, BlockSize: TextData.Window, Layers: 4, Heads: 4, EmbeddingDim: 128);
        var (C, L, T) = ((double)config.EmbeddingDim, (double)config.Layers, (double)TextData.Window);
        var batch = Batch;
        // Per token: q, kv, output projections 4C² and the MLP 8C² per layer, the head C·V, attention QKᵀ and AV 2·T·C per layer (full T, the mask not discounted).
        var macsPerToken = L * (12 * C * C + 2 * T * C) + C * vocab;
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "gpt",
            Title = $"Gpt {config.Layers} layers, {config.Heads} heads, C {config.EmbeddingDim}, vocab {vocab}, Adam, clip 1, batch {batch} x {TextData.Window} chars (ch06, Moby Dick)",
            Unit = "tokens/s",
            ItemsPerExample = TextData.Window,
            X = X,
            Y = Y,
            BatchSize = batch,
            Model = () => new Gpt(config),
            Options = new TrainerOptions
            {
                LearningRate = LearningRate, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy, ClipGradientNorm = 1.0,
            },
            HandOptimizer = p => optim.Adam(p, LearningRate),
            HandLoss = LstmWorkload.SequenceCrossEntropy,
            ForwardFlopsPerStep = 2 * macsPerToken * batch * TextData.Window,
            FlopsNote = "per token and layer: projections 4·C² + MLP 8·C² + attention 2·T·C multiply-adds; plus the head C·V",
            PythonModule = "gpt",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["vocab_size"] = vocab, ["block_size"] = config.BlockSize, ["layers"] = config.Layers, ["heads"] = config.Heads,
                ["embedding_dim"] = config.EmbeddingDim, ["dropout"] = config.Dropout,
            },
        });
    }
}
