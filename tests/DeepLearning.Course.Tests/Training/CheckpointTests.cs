using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlc-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static nn.Module<Tensor, Tensor> Mlp(int hidden) => nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 2));

    [Fact]
    public void Weights_round_trip_through_a_checkpoint()
    {
        // Given a model saved to disk and a fresh model of the same architecture
        manual_seed(10);
        var saved = Mlp(8);
        var path = Path.Combine(_dir, "sub", "best.ckpt");
        Checkpoint.Save(saved, path);
        var loaded = Mlp(8);
        using var input = randn(5, 4);
        // When the checkpoint is loaded
        Checkpoint.Load(loaded, path);
        // Then both models compute the same function, and the manifest lists every tensor
        using var a = saved.call(input);
        using var b = loaded.call(input);
        Assert.True(a.allclose(b));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], Checkpoint.ReadManifest(path).Select(e => e.Name));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Loading_into_a_mismatched_model_fails_listing_the_differences()
    {
        // Given a checkpoint of a model with 8 hidden units
        var path = Path.Combine(_dir, "mlp8.ckpt");
        Checkpoint.Save(Mlp(8), path);
        var other = Mlp(16);
        using var before = other.parameters().First().clone();
        // When it is loaded into a model with 16 hidden units
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(other, path));
        // Then every differing tensor is named with both shapes, and the model is untouched
        Assert.Contains("0.weight: checkpoint [8, 4] float32, model [16, 4] float32", error.Message);
        Assert.Equal(3, error.Problems.Count); // 0.weight, 0.bias, 2.weight differ; 2.bias [2] matches
        Assert.True(other.parameters().First().allclose(before));
    }

    [Fact]
    public void Loading_into_a_model_with_other_names_lists_missing_and_unexpected_tensors()
    {
        var path = Path.Combine(_dir, "linear.ckpt");
        Checkpoint.Save(nn.Linear(4, 2), path);
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(Mlp(8), path));
        Assert.Contains(error.Problems, p => p.StartsWith("unexpected in checkpoint (not in model): weight", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("missing from checkpoint (model expects it): 0.weight", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_intact_and_no_partial_file()
    {
        // Given an existing good checkpoint
        var path = Path.Combine(_dir, "model.ckpt");
        Checkpoint.Save(Mlp(8), path);
        var good = File.ReadAllBytes(path);
        // When a later save fails after writing its temporary file (e.g. the process is interrupted)
        Checkpoint.BeforeCommit = _ => throw new IOException("disk full");
        try
        {
            Assert.Throws<IOException>(() => Checkpoint.Save(Mlp(8), path));
        }
        finally
        {
            Checkpoint.BeforeCommit = null;
        }
        // Then the old checkpoint is byte-for-byte unchanged and no temporary file is left behind
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_rejected_clearly()
    {
        var path = Path.Combine(_dir, "junk.bin");
        File.WriteAllText(path, "not a checkpoint");
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Mlp(8), path));
        Assert.Contains("not a DeepLearning.Course checkpoint", error.Message);
    }

    [Fact]
    public void The_trainer_keeps_the_best_epoch_and_restores_it()
    {
        // Given training with a checkpoint path whose learning rate later blows the loss up (but stays finite)
        manual_seed(11);
        var model = nn.Linear(3, 1);
        var path = Path.Combine(_dir, "best.ckpt");
        var trainer = new Trainer(new TrainerOptions
        {
            ShowProgress = false, Device = CPU, Epochs = 6, LearningRate = 0.05, Loss = Losses.Mse, CheckpointPath = path,
            Scheduler = opt => optim.lr_scheduler.MultiStepLR(opt, [3], 12.0),
        });
        var data = Synthetic.Regression();
        // When it trains
        var history = trainer.Fit(model, data);
        // Then a checkpoint exists, and if the best epoch was not the last its weights were restored
        Assert.True(File.Exists(path));
        var restored = nn.Linear(3, 1);
        Checkpoint.Load(restored, path);
        Assert.True(restored.weight!.allclose(model.weight!));
        Assert.True(history.BestValue <= history["train_loss"].Min() + 1e-12);
    }
}
