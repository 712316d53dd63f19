using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class Float64TrainingTests
{
    [Fact]
    public void A_float64_model_trains_and_evaluates_to_the_least_squares_solution()
    {
        // Given a float64 linear model and a full-batch float64 regression problem (chapter 01 compares against lstsq)
        manual_seed(3);
        var X = randn(200, 2, dtype: ScalarType.Float64);
        var y = X.matmul(tensor(new[] { 2.0, -1.0 })) + 0.5 + 0.1 * randn(200, dtype: ScalarType.Float64);
        var model = nn.Linear(2, 1, dtype: ScalarType.Float64);
        var trainer = new Trainer(new TrainerOptions { ShowProgress = false, Device = CPU, Epochs = 300, LearningRate = 0.3, Loss = Losses.Mse });

        // When it trains and evaluates
        var history = trainer.Fit(model, [(X, y)]);
        var evaluation = trainer.Evaluate(model, [(X, y)]);

        // Then the weights match least squares and the losses are finite doubles
        var A = cat([ones(200, 1, dtype: ScalarType.Float64), X], 1);
        var expected = linalg.lstsq(A, y.unsqueeze(1)).Solution.squeeze(1);
        var actual = cat([model.bias!.detach(), model.weight!.detach().reshape(-1)]);
        var relative = ((actual - expected).norm() / expected.norm()).item<double>();
        Assert.True(relative < 1e-6, $"relative difference {relative}");
        Assert.True(double.IsFinite(history.Last["train_loss"]));
        Assert.True(Math.Abs(evaluation["loss"] - history.Last["train_loss"]) < 1e-6);
    }
}
