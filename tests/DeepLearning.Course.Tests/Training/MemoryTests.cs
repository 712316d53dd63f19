using System.Diagnostics;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

[Collection("Console")] // runs alone: the live-tensor count is per thread, process memory is per process
public class MemoryTests
{
    [Fact]
    public void Training_for_many_epochs_leaves_no_tensors_alive_and_memory_flat()
    {
        // Given a small MLP, fixed batches and a lazily generated validation source
        manual_seed(12);
        var model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 4));
        var X = randn(512, 20);
        var y = X.narrow(1, 0, 4).argmax(1);
        var train = Synthetic.Batches(X, y, 32);
        var trainer = new Trainer(new TrainerOptions
        {
            ShowProgress = false, Device = CPU, Epochs = 5, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
            Optimizer = Optimizers.Adam(), LearningRate = 1e-3, ClipGradientNorm = 1.0,
        });
        IEnumerable<(Tensor, Tensor)> Valid() => Synthetic.Lazy(X, y, 64);

        // Warm up (optimizer state, allocator pools), then measure
        trainer.Fit(model, train, Valid());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;

        // When it trains for many more epochs (10 runs x 5 epochs x (16 train + 8 validation batches))
        for (var run = 0; run < 10; run++)
            trainer.Fit(model, train, Valid());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rssAfter = Process.GetCurrentProcess().WorkingSet64;

        // Then no tensor created by the loop is still alive and resident memory grew by no more than noise
        Assert.True(liveAfter - liveBefore <= 0, $"live tensors grew from {liveBefore} to {liveAfter}");
        var growthMiB = (rssAfter - rssBefore) / (1024.0 * 1024.0);
        Assert.True(growthMiB < 64, $"working set grew by {growthMiB:F1} MiB");
    }

    [Fact]
    public void Each_batch_frees_its_tensors_before_the_next_batch_starts()
    {
        // Given a step that records how many tensors are alive when each batch starts
        manual_seed(13);
        var model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2));
        var X = randn(640, 8);
        var y = X.narrow(1, 0, 2).argmax(1);
        var live = new List<long>();
        var trainer = new Trainer(new TrainerOptions
        {
            ShowProgress = false, Device = CPU, Epochs = 2, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
            Step = ctx =>
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                return ctx.Standard();
            },
        });
        // When it trains on 20 batches per epoch
        trainer.Fit(model, Synthetic.Batches(X, y, 32));
        // Then, after the first step (lazy optimizer state), every batch starts with the same number of live tensors
        Assert.Equal(40, live.Count);
        Assert.Single(live.Skip(2).Distinct());
    }
}
