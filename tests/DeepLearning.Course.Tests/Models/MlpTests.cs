using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class MlpTests
{
    [Fact]
    public void Flattens_images_and_returns_one_logit_row_per_example()
    {
        // Given a 784-32-16-10 MLP with dropout
        manual_seed(0);
        using var model = new Mlp(new MlpConfig(Hidden: [32, 16], Dropout: 0.2));
        // When it reads a batch of five 28x28 images
        using var x = rand(5, 1, 28, 28);
        using var yHat = model.call(x);
        // Then it returns [5, 10] logits, and its shape string lists every layer
        Assert.Equal([5L, 10L], yHat.shape);
        Assert.Equal("784-32-16-10", model.Config.Shape());
    }

    [Fact]
    public void Matches_the_hand_written_forward_pass()
    {
        // Given a 6-4-3 MLP with ReLU in eval mode, and its weights read back
        manual_seed(1);
        using var model = new Mlp(new MlpConfig(Inputs: 6, Hidden: [4], Outputs: 3));
        model.eval();
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        using var x = randn(7, 6);
        // When the module and relu(x W1^T + b1) W2^T + b2 compute the same batch
        using var yHat = model.call(x);
        using var reference = nn.functional.relu(x.matmul(p["_layers.linear1.weight"].t()) + p["_layers.linear1.bias"])
            .matmul(p["_layers.output.weight"].t()) + p["_layers.output.bias"];
        // Then they agree to float precision
        Assert.True(yHat.allclose(reference, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void One_hidden_layer_learns_xor_which_a_linear_model_cannot()
    {
        // Given the four XOR points, a linear model (no hidden layer) and a 2-16-2 MLP
        manual_seed(0);
        var X = tensor(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = tensor(new long[] { 0, 1, 1, 0 });
        var data = new List<(Tensor X, Tensor y)> { (X, y) };
        var options = new TrainerOptions
        {
            Epochs = 150, LearningRate = 0.1, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy,
            Metrics = [Metric.Accuracy], ShowProgress = false, Device = CPU,
        };
        using var linear = new Mlp(new MlpConfig(Inputs: 2, Hidden: [], Outputs: 2));
        using var mlp = new Mlp(new MlpConfig(Inputs: 2, Hidden: [16], Outputs: 2));
        // When both train on it
        var linearHistory = new Trainer(options).Fit(linear, data);
        var mlpHistory = new Trainer(options).Fit(mlp, data);
        // Then only the MLP classifies all four points; the linear model stays at chance loss (ln 2)
        Assert.Equal(1.0, mlpHistory.Last["train_accuracy"]);
        Assert.True(mlpHistory.Last["train_loss"] < 0.05, $"MLP loss {mlpHistory.Last["train_loss"]}");
        Assert.True(linearHistory.Last["train_accuracy"] <= 0.75);
        Assert.True(linearHistory.Last["train_loss"] > 0.6, $"linear loss {linearHistory.Last["train_loss"]}");
    }

    [Fact]
    public void Unknown_activation_is_a_clear_error()
    {
        // Given / When an MLP with a misspelt activation / Then the error names the valid choices
        var error = Assert.Throws<ArgumentException>(() => new Mlp(new MlpConfig(Activation: "rleu")));
        Assert.Contains("relu, sigmoid, tanh or gelu", error.Message);
    }
}
