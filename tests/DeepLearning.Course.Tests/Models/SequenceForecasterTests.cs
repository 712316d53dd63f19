using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class SequenceForecasterTests
{
    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void Maps_windows_to_one_forecast_row_per_window(RecurrentCell cell)
    {
        // Given a forecaster of each cell predicting 5 steps of a 2-feature series
        manual_seed(0);
        using var model = new SequenceForecaster(new SequenceForecasterConfig(Features: 2, HiddenSize: 8, Horizon: 5, NumLayers: 2, Cell: cell));
        // When it reads 4 windows of 12 steps
        using var x = randn(4, 12, 2);
        using var yHat = model.call(x);
        // Then it returns [4, 5] forecasts
        Assert.Equal([4L, 5L], yHat.shape);
    }

    [Fact]
    public void Learns_to_continue_a_sine_wave()
    {
        // Given windows of 20 steps of a sine wave and the 3 steps after each
        manual_seed(0);
        var t = arange(0, 400, dtype: ScalarType.Float32) * 0.3f;
        var s = sin(t);
        var starts = Enumerable.Range(0, 370).ToArray();
        var X = stack(starts.Select(i => s.narrow(0, i, 20)).ToArray()).unsqueeze(-1);     // (370, 20, 1)
        var y = stack(starts.Select(i => s.narrow(0, i + 20, 3)).ToArray());               // (370, 3)
        var data = new List<(Tensor X, Tensor y)> { (X, y) };
        using var model = new SequenceForecaster(new SequenceForecasterConfig(HiddenSize: 16, Horizon: 3));
        var options = new TrainerOptions
        {
            Epochs = 150, LearningRate = 0.02, Optimizer = Optimizers.Adam(), Loss = Losses.Mse, ShowProgress = false, Device = CPU,
        };
        // When it trains on them
        var history = new Trainer(options).Fit(model, data);
        // Then its mean squared error falls far below the series' variance (0.5)
        Assert.True(history.Last["train_loss"] < 0.01, $"final MSE {history.Last["train_loss"]}");
    }
}
