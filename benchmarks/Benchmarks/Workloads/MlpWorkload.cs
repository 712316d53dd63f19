using System.Text.Json.Nodes;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>Chapter 02's Fashion-MNIST MLP: <c>MlpConfig(Hidden: [512, 256], Dropout: 0.2)</c>, Adam 1e-3, batch 256, cross-entropy + accuracy.</summary>
internal static class MlpWorkload
{
    public static Workload Create(BenchOptions options)
    {
        var data = ReferenceModels.Fashion.Train;
        var config = new MlpConfig(Hidden: [512, 256], Dropout: 0.2);
        const int batch = 256;
        var macs = 784.0 * 512 + 512 * 256 + 256 * 10;
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "mlp",
            Title = $"MLP {config.Shape()} dropout 0.2, Adam, batch {batch} (ch02, Fashion-MNIST)",
            X = data.Features,
            Y = data.Labels,
            BatchSize = batch,
            Model = () => new Mlp(config),
            Options = new TrainerOptions
            {
                LearningRate = 1e-3, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
            },
            HandOptimizer = p => optim.Adam(p, 1e-3),
            HandLoss = (yHat, y) => nn.functional.cross_entropy(yHat, y),
            HandMetric = Accuracy,
            ForwardFlopsPerStep = 2 * macs * batch,
            FlopsNote = "linear layers: 2·B·(784·512 + 512·256 + 256·10)",
            PythonModule = "mlp",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["inputs"] = 784, ["hidden"] = new JsonArray(512, 256), ["outputs"] = 10, ["dropout"] = 0.2,
            },
        });
    }

    /// <summary>Correct predictions in a batch, as a loop writes it by hand.</summary>
    public static double Accuracy(Tensor yHat, Tensor y) => yHat.argmax(-1).eq(y).sum().item<long>();
}
