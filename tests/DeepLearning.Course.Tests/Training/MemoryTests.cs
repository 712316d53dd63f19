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
            ShowProgress = false, Device = CPU, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy],
            Optimizer = Optimizers.Adam(), LearningRate = 1e-3, ClipGradientNorm = 1.0,
        });
        IEnumerable<(Tensor, Tensor)> Valid() => Synthetic.Lazy(X, y, 64);

        // Warm up (optimizer state, allocator pools), then measure
        trainer.Fit(model, train, Valid());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;

        // When it trains for many more epochs (10 x 10 epochs x 16 batches)
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
}
