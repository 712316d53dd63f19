using DeepLearning.Course.Data;
using DeepLearning.Course.Exercises;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 01's exercise checks: a right answer is solved, the starter is "not yet" helpfully, a typical mistake gets its own message.</summary>
public class Chapter01ExercisesTests
{
    // A small regression like the chapter's: a column of ones and two correlated standardized features.
    private static readonly Tensor A = cat([ones(50, 1, dtype: float64), stack([arange(50, dtype: float64).sin(), arange(50, dtype: float64).sin() + 0.5 * arange(50, dtype: float64).cos()], 1)], 1);
    private static readonly Tensor Y = 20 + 3 * arange(50, dtype: float64).cos();

    private static double CriticalRate() => 2 / linalg.eigvalsh(2.0 / 50 * A.t().matmul(A)).max().item<double>();

    [Fact]
    public void Softmax_right_starter_and_two_typical_mistakes()
    {
        // Given a stable softmax, the starter, a naive one (overflows) and one normalised over the whole batch
        static Tensor Stable(Tensor x) { var e = (x - x.amax([1], keepdim: true)).exp(); return e / e.sum(1, keepdim: true); }
        static Tensor Naive(Tensor x) => x.exp() / x.exp().sum(1, keepdim: true);
        static Tensor WholeBatch(Tensor x) { var e = (x - x.max()).exp(); return e / e.sum(); }

        // When / Then
        Assert.True(Chapter01Exercises.Softmax(Stable).Solved);
        Assert.Contains("NotImplementedException", Chapter01Exercises.Softmax(_ => throw new NotImplementedException("exercise 01.1: your code here")).Message);
        var naive = Chapter01Exercises.Softmax(Naive);
        Assert.False(naive.Solved);
        Assert.Contains("x = [[1000, 1001, 1002]] (large logits)", naive.Message);
        Assert.Contains("Subtract each row's maximum", naive.Message);
        Assert.Matches(@"three rows\)\): row \d sums to .*every row of probabilities must sum to 1", Chapter01Exercises.Softmax(WholeBatch).Message);
    }

    [Fact]
    public void One_step_bias_right_starter_and_the_missing_factor_two()
    {
        // Given the truth: one step from 0 moves the bias to 2·lr·mean(y)
        var truth = 2 * 0.3 * Y.mean().item<double>();

        // When / Then
        Assert.True(Chapter01Exercises.OneStepBias(truth, A, Y, 0.3).Solved);
        Assert.Equal("predictedBias is still null: replace null with your answer and run that cell again.", Chapter01Exercises.OneStepBias(null, A, Y, 0.3).Message);
        var half = Chapter01Exercises.OneStepBias(truth / 2, A, Y, 0.3);
        Assert.False(half.Solved);
        Assert.Contains("keep the 2", half.Message);
        Assert.Contains("Your sign is flipped", Chapter01Exercises.OneStepBias(-truth, A, Y, 0.3).Message);
    }

    [Fact]
    public void Largest_stable_rate_right_starter_too_small_too_large_and_no_explanation()
    {
        // Given the boundary 2 / λ_max of this regression
        var critical = CriticalRate();
        var explanation = "Beyond two over the largest Hessian eigenvalue each step overshoots along that direction.";

        // When / Then
        var right = Chapter01Exercises.LargestStableLearningRate(critical * 1.02, explanation, A, Y);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("2 / λ_max", right.Message);
        Assert.Contains("largestStableLr is still null", Chapter01Exercises.LargestStableLearningRate(null, "", A, Y).Message);
        Assert.Contains("is too small", Chapter01Exercises.LargestStableLearningRate(critical / 3, explanation, A, Y).Message);
        Assert.Contains("is too large", Chapter01Exercises.LargestStableLearningRate(critical * 2, explanation, A, Y).Message);
        Assert.Contains("explanation is empty", Chapter01Exercises.LargestStableLearningRate(critical, "", A, Y).Message);
    }

    [Fact]
    public void Hidden_layer_right_starter_and_a_linear_stack()
    {
        // Given the digits, an MLP, the starter and two linear layers with nothing between them
        using var digits = Digits.Load(seed: 0, flatten: true);

        // When / Then
        var right = Chapter01Exercises.HiddenLayer(() => nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)), digits);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("NotImplementedException", Chapter01Exercises.HiddenLayer(() => throw new NotImplementedException("exercise 01.4: your code here"), digits).Message);
        Assert.Contains("is linear in its input", Chapter01Exercises.HiddenLayer(() => nn.Sequential(nn.Linear(64, 32), nn.Linear(32, 10)), digits).Message);
        Assert.Contains("no more than softmax regression's 650", Chapter01Exercises.HiddenLayer(() => nn.Sequential(nn.Linear(64, 10)), digits).Message);
    }
}
