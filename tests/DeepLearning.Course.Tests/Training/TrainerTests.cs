using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class TrainerTests
{
    private static TrainerOptions Quiet => new() { ShowProgress = false, Device = CPU };

    [Fact]
    public void Loss_falls_on_a_tiny_regression_problem()
    {
        // Given a linear model and y = Xw + b
        manual_seed(1);
        var model = nn.Linear(3, 1);
        var data = Synthetic.Regression();
        var trainer = new Trainer(Quiet with { Epochs = 20, LearningRate = 0.05, Loss = Losses.Mse, Metrics = [Metric.Rmse] });
        // When it trains
        var history = trainer.Fit(model, data);
        // Then the loss falls by orders of magnitude and RMSE is near the noise level
        var loss = history["train_loss"];
        Assert.True(loss[^1] < loss[0] / 100, $"loss {loss[0]} -> {loss[^1]}");
        Assert.True(history.Last["train_rmse"] < 0.05, $"rmse {history.Last["train_rmse"]}");
    }

    [Fact]
    public void The_library_data_loader_feeds_the_trainer_directly()
    {
        // Given a split served by the library's DataLoader (the way chapters load data)
        manual_seed(3);
        var X = randn(256, 3);
        var y = X.matmul(tensor(new float[] { 1, -2, 0.5f }).unsqueeze(1)) + 0.3f;
        var split = new DeepLearning.Course.Data.LabeledSplit(X, y, "synthetic", Enumerable.Range(0, 256).ToArray());
        var trainer = new Trainer(Quiet with { Epochs = 15, LearningRate = 0.05, Loss = Losses.Mse });
        // When it trains on the loader and evaluates on another
        var history = trainer.Fit(nn.Linear(3, 1), split.Batches(32, shuffle: true), split.Batches(64));
        // Then both losses fall
        Assert.True(history["train_loss"][^1] < history["train_loss"][0] / 10, $"train loss {history["train_loss"][0]} -> {history["train_loss"][^1]}");
        Assert.True(history.Last["valid_loss"] < 0.05, $"valid loss {history.Last["valid_loss"]}");
    }

    [Fact]
    public void Fit_evaluate_and_predict_take_mapped_and_unlabelled_loaders_and_the_history_charts_itself()
    {
        // Given a split, a loader whose batches are mapped (a stand-in for augmentation) and an epoch callback
        manual_seed(4);
        var X = randn(200, 3);
        var y = X.matmul(tensor(new float[] { 2, -1, 0.5f }).unsqueeze(1));
        var split = new DeepLearning.Course.Data.LabeledSplit(X, y, "synthetic", Enumerable.Range(0, 200).ToArray());
        var ended = new List<int>();
        var trainer = new Trainer(Quiet with { Epochs = 3, LearningRate = 0.05, Loss = Losses.Mse, EpochEnd = r => ended.Add(r.Epoch) });
        var model = nn.Linear(3, 1);
        var mapped = split.Batches(20, shuffle: true).Select(b => b with { Features = b.Features * 1 });

        // When it trains on the mapped loader, evaluates on a plain one and predicts on an unlabelled one
        var history = trainer.Fit(model, mapped, split.Batches(50));
        var evaluated = trainer.Evaluate(model, split.Batches(50));
        using var fromLoader = trainer.Predict(model, new DeepLearning.Course.Data.DataLoader(X, 64));
        using var fromTensor = trainer.Predict(model, X);
        var chart = DeepLearning.Course.Formatting.PlotlyHtml.ToJson(DeepLearning.Course.Visualization.Charts.Lines(history, "train_loss"));

        // Then training ran on every epoch, evaluation agrees with the last validation, predictions agree,
        // and the history's curve runs over the epochs
        Assert.Equal([1, 2, 3], ended);
        Assert.True(history["train_loss"][^1] < history["train_loss"][0], $"train loss {history["train_loss"][0]} -> {history["train_loss"][^1]}");
        Assert.Equal(history.Last["valid_loss"], evaluated["loss"], 6);
        Assert.True(fromLoader.allclose(fromTensor));
        Assert.Contains("\"x\":[1.0,2.0,3.0]", chart);
    }

    [Fact]
    public void History_has_one_record_per_epoch_with_train_and_valid_keys()
    {
        // Given a classifier on three blobs with a validation split
        manual_seed(2);
        var model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3));
        var train = Synthetic.Blobs(seed: 1);
        var valid = Synthetic.Blobs(n: 90, seed: 2);
        var trainer = new Trainer(Quiet with { Epochs = 4, LearningRate = 0.1, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy] });
        // When it trains
        var history = trainer.Fit(model, train, valid);
        // Then the history has 4 epochs with train/valid loss and accuracy, and a table of the same shape
        Assert.Equal([1, 2, 3, 4], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(["train_loss", "train_accuracy", "valid_loss", "valid_accuracy"], history.Keys);
        Assert.Equal("valid_loss", history.Monitor);
        Assert.InRange(history.BestEpoch, 1, 4);
        Assert.True(history.Last["valid_accuracy"] > 0.9, $"accuracy {history.Last["valid_accuracy"]}");
        var frame = history.ToDataFrame();
        Assert.Equal(4, frame.Rows.Count);
        Assert.Equal(["epoch", "train_loss", "train_accuracy", "valid_loss", "valid_accuracy", "seconds"], frame.Columns.Select(c => c.Name));
        Assert.Contains("valid_loss", DeepLearning.Course.Formatting.PlotlyHtml.ToJson(history.PlotLosses()));
    }

    [Fact]
    public void Early_stopping_ends_training_when_the_monitored_value_stops_improving()
    {
        // Given a learning rate of zero, so nothing ever improves after epoch 1
        manual_seed(3);
        var model = nn.Linear(3, 1);
        var trainer = new Trainer(Quiet with { Epochs = 50, LearningRate = 0, Loss = Losses.Mse, EarlyStoppingPatience = 2 });
        // When it trains
        var history = trainer.Fit(model, Synthetic.Regression());
        // Then it stops after 1 + patience epochs and says why
        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Contains("did not improve for 2 epochs", history.StopReason);
    }

    [Fact]
    public void A_diverging_loss_stops_training_with_a_helpful_exception()
    {
        // Given an absurd learning rate
        manual_seed(4);
        var model = nn.Linear(3, 1);
        var trainer = new Trainer(Quiet with { Epochs = 50, LearningRate = 1e6, Loss = Losses.Mse });
        // When it trains
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(model, Synthetic.Regression()));
        // Then the exception names the place and the usual causes
        Assert.False(double.IsFinite(error.Loss));
        Assert.Equal(1e6, error.LearningRate);
        Assert.Contains("learning rate is too high", error.Message);
        Assert.Contains("normalized", error.Message);
        Assert.Contains("ClipGradientNorm", error.Message);
    }

    [Fact]
    public void A_scheduler_and_optimizer_preset_are_applied_per_epoch()
    {
        manual_seed(5);
        var model = nn.Linear(3, 1);
        var trainer = new Trainer(Quiet with
        {
            Epochs = 3, LearningRate = 0.1, Loss = Losses.Mse, Optimizer = Optimizers.Adam(), WeightDecay = 1e-4,
            ClipGradientNorm = 1.0, Scheduler = opt => optim.lr_scheduler.StepLR(opt, 1, 0.5),
        });
        var history = trainer.Fit(model, Synthetic.Regression());
        Assert.Equal([0.1, 0.05, 0.025], history.Epochs.Select(e => Math.Round(e.LearningRate, 6)));
    }

    [Fact]
    public void A_custom_step_replaces_the_standard_step_and_reports_extra_values()
    {
        // Given a custom step (as a GAN would use) that counts its calls and reports a second value
        manual_seed(6);
        var model = nn.Linear(3, 1);
        var calls = 0;
        var trainer = new Trainer(Quiet with
        {
            Epochs = 2, Loss = Losses.Mse, LearningRate = 0.05,
            Step = ctx =>
            {
                calls++;
                var standard = ctx.Standard();
                return standard with { Values = new Dictionary<string, double> { ["aux"] = 1.0 } };
            },
        });
        var data = Synthetic.Regression(n: 64, batchSize: 16);
        // When it trains
        var history = trainer.Fit(model, data);
        // Then the step ran once per batch and the extra value is averaged per epoch
        Assert.Equal(2 * 4, calls);
        Assert.Equal(1.0, history.Last["train_aux"]);
    }

    [Fact]
    public void Evaluate_and_predict_reuse_the_batching()
    {
        manual_seed(7);
        var model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3));
        var data = Synthetic.Blobs();
        var trainer = new Trainer(Quiet with { Epochs = 5, Loss = Losses.CrossEntropy, Metrics = [Metric.Accuracy] });
        trainer.Fit(model, data);
        var result = trainer.Evaluate(model, data);
        Assert.True(result["accuracy"] > 0.9);
        Assert.True(result["loss"] < 0.5);
        using var all = cat(data.Select(b => b.X).ToList(), 0);
        using var predictions = trainer.Predict(model, all, batchSize: 64);
        Assert.Equal([300L, 3L], predictions.shape);
    }

    [Fact]
    public void Lazy_sources_that_create_tensors_per_epoch_are_supported()
    {
        // Given a source that builds a permutation tensor and fresh batches on every enumeration
        manual_seed(8);
        var X = randn(120, 3);
        var y = X.sum(1, keepdim: true);
        var model = nn.Linear(3, 1);
        var trainer = new Trainer(Quiet with { Epochs = 5, LearningRate = 0.1, Loss = Losses.Mse });
        // When it trains (the permutation must survive across the batches of one epoch)
        var history = trainer.Fit(model, Synthetic.Lazy(X, y, 16));
        // Then training works and the user's tensors are untouched
        Assert.True(history.Last["train_loss"] < history.Epochs[0]["train_loss"]);
        Assert.Equal([120L, 3L], X.shape);
    }

    [Fact]
    public void Perplexity_is_exp_of_mean_cross_entropy_per_token()
    {
        // Given uniform logits over a vocabulary of 7 for a [2, 5] batch of tokens
        using var logits = zeros(2, 5, 7);
        using var tokens = zeros(new long[] { 2, 5 }, dtype: ScalarType.Int64);
        // When perplexity is measured
        var (sum, count) = Metric.Perplexity.Measure(logits, tokens);
        // Then it equals the vocabulary size
        Assert.Equal(10, count);
        Assert.Equal(7.0, Metric.Perplexity.Finish(sum, count), 4);
    }

    [Fact]
    public void Accuracy_reads_class_scores_binary_probabilities_and_class_indices()
    {
        using var scores = tensor(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f }, { 0.3f, 0.7f } });
        using var target = tensor(new long[] { 1, 0, 0 });
        Assert.Equal((2.0, 3.0), Metric.Accuracy.Measure(scores, target));
        using var probabilities = tensor(new float[,] { { 0.9f }, { 0.2f }, { 0.6f } });
        using var binary = tensor(new float[] { 1, 0, 0 });
        Assert.Equal((2.0, 3.0), Metric.Accuracy.Measure(probabilities, binary));
        using var indices = tensor(new long[] { 1, 1, 0 });
        Assert.Equal((2.0, 3.0), Metric.Accuracy.Measure(indices, target));
    }
}
