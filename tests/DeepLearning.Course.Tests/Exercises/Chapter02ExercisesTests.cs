using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 02's exercise checks: a right answer is solved, the starter is "not yet" helpfully, a typical mistake gets its own message.</summary>
public class Chapter02ExercisesTests
{
    private const string Explanation = "Evaluation uses every unit, and training already scaled the survivors so the expected value matches.";

    [Fact]
    public void Linear_forward_right_starter_and_three_typical_mistakes()
    {
        // When / Then
        Assert.True(Chapter02Exercises.LinearForward((X, W, b) => X.matmul(W.t()) + b).Solved);
        Assert.Contains("NotImplementedException", Chapter02Exercises.LinearForward((_, _, _) => throw new NotImplementedException("exercise 02.1: your code here")).Message);
        Assert.Contains("without the bias: add b", Chapter02Exercises.LinearForward((X, W, b) => X.matmul(W.t())).Message);
        Assert.Contains("X [2, 3], W [3, 3] (square), b [3]) equals X·W + b", Chapter02Exercises.LinearForward((X, W, b) => X.matmul(W) + b).Message);
        Assert.Contains("multiply X by W.t()", Chapter02Exercises.LinearForward((X, W, b) => throw new ArgumentException("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")).Message);
    }

    [Fact]
    public void Mlp_parameters_right_starter_and_weights_only()
    {
        // Given the chapter's Fashion-MNIST MLP, 784-512-256-10
        var model = new Mlp(new MlpConfig(Hidden: [512, 256], Dropout: 0.2));
        const long weights = 784 * 512 + 512 * 256 + 256 * 10;

        // When / Then
        var right = Chapter02Exercises.MlpParameters(weights + 512 + 256 + 10, model);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("535,818 parameters", right.Message);
        Assert.Contains("predictedParameters is still null", Chapter02Exercises.MlpParameters(null, model).Message);
        Assert.Contains("You counted the weights only", Chapter02Exercises.MlpParameters(weights, model).Message);
    }

    [Fact]
    public void Dropout_right_starter_wrong_survivor_and_no_explanation()
    {
        // When / Then
        var right = Chapter02Exercises.Dropout(0.3, 1 / 0.7, Explanation);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("zeroed 0.0 % of 100,000 activations; the task asks for 30%", Chapter02Exercises.Dropout(0.0, null, "").Message.Replace("0.0%", "0.0 %"));
        Assert.Contains("a surviving 1.0 becomes 1.429", Chapter02Exercises.Dropout(0.3, 1.0, Explanation).Message);
        Assert.Contains("dropoutExplanation is empty", Chapter02Exercises.Dropout(0.3, 1 / 0.7, "").Message);
        Assert.Contains("below 1", Chapter02Exercises.Dropout(1.0, 1, Explanation).Message);
    }

    [Fact]
    public void Deeper_mlp_right_starter_no_flatten_wrong_widths_and_no_activation()
    {
        // When / Then
        var right = Chapter02Exercises.DeeperMlp(() => nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)));
        Assert.True(right.Solved, right.Message);
        Assert.Contains("NotImplementedException", Chapter02Exercises.DeeperMlp(() => throw new NotImplementedException("exercise 02.4: your code here")).Message);
        Assert.Contains("start with torch.nn.Flatten()", Chapter02Exercises.DeeperMlp(() => nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))).Message);
        Assert.Contains("expected 235,146", Chapter02Exercises.DeeperMlp(() => nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))).Message);
        Assert.Contains("is linear in its input", Chapter02Exercises.DeeperMlp(() => nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.Linear(256, 128), nn.Linear(128, 10))).Message);
    }
}
