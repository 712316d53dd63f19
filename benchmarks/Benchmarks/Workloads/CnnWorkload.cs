using System.Text.Json.Nodes;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>Chapter 03's modern CNN: default <c>ModernCnnConfig</c>, Adam 2e-3, batch 128, cross-entropy + accuracy.</summary>
internal static class CnnWorkload
{
    public static Workload Create(BenchOptions options)
    {
        var data = ReferenceModels.Fashion.Train;
        var c = new ModernCnnConfig();
        const int batch = 128;
        var s = c.ImageSize;
        var macs = (double)s * s * c.Channels1 * c.InChannels * 9                 // conv1 3x3, padding 1
                 + (double)(s / 2) * (s / 2) * c.Channels2 * c.Channels1 * 9      // conv2 on the pooled map
                 + (double)c.Channels2 * (s / 4) * (s / 4) * c.Hidden             // fc1
                 + (double)c.Hidden * c.Classes;                                  // fc2
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "cnn",
            Title = $"ModernCnn conv{c.Channels1}-conv{c.Channels2}-fc{c.Hidden} + BN, dropout {c.Dropout}, Adam, batch {batch} (ch03, Fashion-MNIST)",
            X = data.Features,
            Y = data.Labels,
            BatchSize = batch,
            Model = () => new ModernCnn(c),
            Options = new TrainerOptions
            {
                LearningRate = 2e-3, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
            },
            HandOptimizer = p => optim.Adam(p, 2e-3),
            HandLoss = (yHat, y) => nn.functional.cross_entropy(yHat, y),
            HandMetric = MlpWorkload.Accuracy,
            ForwardFlopsPerStep = 2 * macs * batch,
            FlopsNote = "convolutions + linear layers: 2·B·(28²·32·1·9 + 14²·64·32·9 + 3136·128 + 128·10); batch norm, ReLU, pooling not counted",
            PythonModule = "cnn",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["in_channels"] = c.InChannels, ["classes"] = c.Classes, ["channels1"] = c.Channels1, ["channels2"] = c.Channels2,
                ["hidden"] = c.Hidden, ["dropout"] = c.Dropout, ["image_size"] = c.ImageSize,
            },
        });
    }
}
