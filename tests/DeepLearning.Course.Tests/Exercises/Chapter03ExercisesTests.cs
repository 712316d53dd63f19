using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 03's exercise checks: a right answer is solved, the starter is "not yet" helpfully, a typical mistake gets its own message.</summary>
public class Chapter03ExercisesTests
{
    private const string Explanation = "The output size is floor((n + 2p - k) / s) + 1, so stride 2 with padding 1 halves an even size.";

    private static Tensor Corr2d(Tensor X, Tensor K)
    {
        var (h, w) = (K.shape[0], K.shape[1]);
        var Y = zeros(X.shape[0] - h + 1, X.shape[1] - w + 1);
        for (long i = 0; i < Y.shape[0]; i++)
            for (long j = 0; j < Y.shape[1]; j++)
                Y[i, j] = (X.narrow(0, i, h).narrow(1, j, w) * K).sum();
        return Y;
    }

    [Fact]
    public void Multi_channel_correlation_right_starter_per_channel_maps_and_one_channel_only()
    {
        // When / Then
        var right = Chapter03Exercises.MultiChannelCorrelation((X, K) => stack(Enumerable.Range(0, (int)X.shape[0]).Select(c => Corr2d(X[c], K[c])).ToArray()).sum([0L]));
        Assert.True(right.Solved, right.Message);
        Assert.Contains("NotImplementedException", Chapter03Exercises.MultiChannelCorrelation((_, _) => throw new NotImplementedException("exercise 03.1: your code here")).Message);
        Assert.Contains("one map per channel. Sum the channels", Chapter03Exercises.MultiChannelCorrelation((X, K) => stack(Enumerable.Range(0, (int)X.shape[0]).Select(c => Corr2d(X[c], K[c])).ToArray())).Message);
        Assert.Contains("MultiChannelCorrelation(d2l's X [2, 3, 3] and K [2, 2, 2]) differs at [0, 0]: got 19, expected 56", Chapter03Exercises.MultiChannelCorrelation((X, K) => Corr2d(X[0], K[0])).Message);
    }

    [Fact]
    public void LeNet_parameters_right_starter_and_a_wrong_count()
    {
        // Given the chapter's LeNet: 156 + 2,416 + 48,120 + 10,164 + 850
        var lenet = new LeNet();

        // When / Then
        var right = Chapter03Exercises.LeNetParameters(61_706, lenet);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("of which only 2,572 in the convolutions", right.Message);
        Assert.Contains("predictedLeNetParameters is still null", Chapter03Exercises.LeNetParameters(null, lenet).Message);
        Assert.Contains("got 61,550, the model has 61,706", Chapter03Exercises.LeNetParameters(61_550, lenet).Message);
    }

    [Fact]
    public void Halving_convolution_right_starter_stride_without_padding_and_no_explanation()
    {
        // When / Then
        Assert.True(Chapter03Exercises.HalvingConvolution(2, 1, Explanation).Solved);
        Assert.Contains("stride 1 and padding 0 maps 28×28 to 26×26, expected 14×14", Chapter03Exercises.HalvingConvolution(1, 0, "").Message);
        Assert.Contains("stride 2 and padding 0 maps 28×28 to 13×13", Chapter03Exercises.HalvingConvolution(2, 0, Explanation).Message);
        Assert.Contains("convExplanation is empty", Chapter03Exercises.HalvingConvolution(2, 1, "").Message);
        Assert.Contains("a stride is at least 1", Chapter03Exercises.HalvingConvolution(0, 1, Explanation).Message);
    }

    [Fact]
    public void Small_cnn_right_starter_wrong_flatten_size_and_no_activation()
    {
        // When / Then
        var right = Chapter03Exercises.SmallCnn(() => nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10)));
        Assert.True(right.Solved, right.Message);
        Assert.Contains("NotImplementedException", Chapter03Exercises.SmallCnn(() => throw new NotImplementedException("exercise 03.4: your code here")).Message);
        Assert.Contains("16 × 7 × 7 = 784", Chapter03Exercises.SmallCnn(() => nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 14 * 14, 10))).Message);
        Assert.Contains("is linear in its input", Chapter03Exercises.SmallCnn(() => nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.AvgPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.AvgPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10))).Message);
    }
}
