using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Graphs;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 11's GCN on Cora (Kipf &amp; Welling 2017): two graph convolutions 1,433 → 16 → 7 over the sparse Â,
/// dropout 0.5, Adam lr 0.01 with weight decay 5e-4 on the first layer only (<see cref="Gcn.Optimizer"/>), on the sparse
/// features the chapter uses (dropout on the stored values, see <c>SparseDropout</c>). A step is the chapter's full-batch
/// step: forward over all 2,708 papers, the loss on the 140 labelled ones, backward, Adam.
/// </summary>
internal static class GcnWorkload
{
    public const double LearningRate = 0.01;
    public const double WeightDecay = 5e-4;

    /// <summary>Steps per pass: X lists the 140 training nodes this many times, in order, so every batch is exactly them.</summary>
    public const int StepsPerPass = 50;

    public static Workload Create(BenchOptions options)
    {
        var data = Planetoid.Load("cora");
        var adjacency = Adjacency.NormalizedSparse(data.EdgeIndex, data.NumNodes);
        var config = new GcnConfig(data.NumFeatures, data.NumClasses);
        var trainLabels = data.Labels.index_select(0, data.TrainNodes);
        var batch = (int)data.TrainNodes.shape[0];
        var features = data.Features.to_sparse();                              // as the chapter trains: 49,216 values stored
        Gcn? gcn = null;
        // The peer's copy of Â: its non-zero entries, read off the dense form (row-major, as NormalizedSparse lists them).
        using var dense = adjacency.to_dense();
        var indices = dense.nonzero().t().contiguous();                       // (2, entries)
        var values = dense.index(indices[0], indices[1]);                     // (entries)
        var featureIndices = data.Features.nonzero().t().contiguous();        // (2, stored features), as to_sparse() stores them
        var featureValues = data.Features.index(featureIndices[0], featureIndices[1]);
        return new SupervisedWorkload(new SupervisedSpec
        {
            Name = "gcn",
            Title = $"GCN {config.Inputs} -> {config.Hidden} -> {config.Outputs} on Cora's sparse A-hat ({data.NumNodes} nodes, {indices.shape[1]} entries), " +
                    $"sparse features, dropout {config.Dropout}, Adam, wd {WeightDecay} on layer 1, full-batch step on {batch} labelled nodes (ch11)",
            Unit = "labelled nodes/s",
            X = data.TrainNodes.repeat(StepsPerPass),
            Y = trainLabels.repeat(StepsPerPass),
            BatchSize = batch,
            Shuffle = false,
            Model = () => new NodeClassifier(gcn = new Gcn(config, adjacency), features),
            Options = new TrainerOptions
            {
                LearningRate = LearningRate, WeightDecay = WeightDecay, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
                // Built when Trainer.Fit asks for it, after the model exists: the paper's Adam with decay on layer 1 only.
                Optimizer = (parameters, lr, wd) => gcn!.Optimizer()(parameters, lr, wd),
            },
            HandOptimizer = parameters =>
            {
                var first = gcn!.FirstLayer.parameters().Select(p => p.Handle).ToHashSet();
                var all = parameters.ToList();
                return optim.Adam(
                [
                    new Adam.ParamGroup(all.Where(p => first.Contains(p.Handle)), new Adam.Options { LearningRate = LearningRate, weight_decay = WeightDecay }),
                    new Adam.ParamGroup(all.Where(p => !first.Contains(p.Handle)), new Adam.Options { LearningRate = LearningRate, weight_decay = 0 }),
                ], LearningRate);
            },
            HandLoss = (yHat, y) => nn.functional.cross_entropy(yHat, y),
            HandMetric = (yHat, y) => yHat.argmax(-1).eq(y).sum().item<long>(),
            PythonModule = "gcn",
            OptimizerName = "adam",
            PythonConfig = new JsonObject
            {
                ["num_nodes"] = data.NumNodes, ["inputs"] = config.Inputs, ["hidden"] = config.Hidden, ["outputs"] = config.Outputs,
                ["dropout"] = config.Dropout,
            },
            PeerArrays = new Dictionary<string, Tensor>
            {
                ["feature_indices"] = featureIndices, ["feature_values"] = featureValues, ["adj_indices"] = indices, ["adj_values"] = values,
            },
        });
    }
}
