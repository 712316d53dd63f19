using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>Chapter 05's MovieLens 100k dot product with biases: 50 factors, y range (0, 5.5), AdamW 1e-2 with weight decay 0.1, per-batch one-cycle, MSE, batch 256 (the committed chapter's full mode).</summary>
internal static class DotProductWorkload
{
    public const int Batch = 256;
    public const double LearningRate = 1e-2;
    public const double WeightDecay = 0.1;

    public static Workload Create(BenchOptions options)
    {
        var data = MovieLens100k.Load(seed: 0);
        var config = new DotProductBiasConfig(data.NumUsers, data.NumItems, Factors: 50, UseBias: true, YRange: (0, 5.5));
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "dotproduct",
            Title = $"DotProductBias {config.Factors} factors + biases, {data.NumUsers} users x {data.NumItems} movies, AdamW wd {WeightDecay}, one-cycle, batch {Batch} (ch05, MovieLens 100k)",
            X = data.Train.Features,
            Y = data.Train.Ratings,
            BatchSize = Batch,
            Model = () => new DotProductBias(config),
            Options = new TrainerOptions
            {
                LearningRate = LearningRate, WeightDecay = WeightDecay, Optimizer = Optimizers.AdamW(), Loss = Losses.Mse,
            },
            OneCycle = true,
            HandOptimizer = p => optim.AdamW(p, LearningRate, weight_decay: WeightDecay),
            HandLoss = (yHat, y) => nn.functional.mse_loss(yHat, y),
            PythonModule = "dotproduct",
            OptimizerName = "adamw",
            PythonConfig = new JsonObject
            {
                ["num_users"] = data.NumUsers, ["num_items"] = data.NumItems, ["factors"] = config.Factors,
                ["init_std"] = config.InitStd, ["y_low"] = 0.0, ["y_high"] = 5.5,
            },
        });
    }
}
