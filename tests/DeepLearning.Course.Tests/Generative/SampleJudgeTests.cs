using DeepLearning.Course.Generative;
using DeepLearning.Course.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Generative;

public class SampleJudgeTests
{
    /// <summary>Columns with mean 0 and sample variance 1, uncorrelated: (1, −1, 1, −1) and (1, 1, −1, −1) scaled by √(3/4).</summary>
    private static Tensor Standard(int columns) =>
        (tensor(new double[,] { { 1, 1 }, { -1, 1 }, { 1, -1 }, { -1, -1 } }) * Math.Sqrt(0.75))[.., ..columns];

    [Fact]
    public void Identical_feature_sets_are_at_distance_zero()
    {
        // Given 200 random feature vectors in 6 dimensions
        using var a = randn([200, 6], generator: new Generator(1), dtype: float64);
        // Then the set is at distance 0 from itself, and a shifted copy is not
        Assert.Equal(0, SampleJudge.FrechetDistanceOfFeatures(a, a), 1e-8);
        Assert.Equal(6 * 0.25, SampleJudge.FrechetDistanceOfFeatures(a, a + 0.5), 1e-8);
    }

    [Fact]
    public void One_dimensional_gaussians_are_at_the_squared_difference_of_means_plus_that_of_deviations()
    {
        // Given features with mean 3 and deviation 2, and with mean 1 and deviation 0.5
        using var a = 3 + 2 * Standard(1);
        using var b = 1 + 0.5 * Standard(1);
        // Then the distance is (3 − 1)² + (2 − 0.5)² = 6.25, either way round
        Assert.Equal(6.25, SampleJudge.FrechetDistanceOfFeatures(a, b), 1e-9);
        Assert.Equal(6.25, SampleJudge.FrechetDistanceOfFeatures(b, a), 1e-9);
    }

    [Fact]
    public void Diagonal_gaussians_add_up_dimension_by_dimension()
    {
        // Given 2-D features with means (1, 2), deviations (2, 0.5) and with means (0, −1), deviations (1, 3)
        using var z = Standard(2);
        using var a = tensor(new double[] { 1, 2 }) + z * tensor(new double[] { 2, 0.5 });
        using var b = tensor(new double[] { 0, -1 }) + z * tensor(new double[] { 1, 3 });
        // Then the distance is |Δμ|² + Σ (σ₁ − σ₂)² = (1 + 9) + (1 + 6.25)
        Assert.Equal(17.25, SampleJudge.FrechetDistanceOfFeatures(a, b), 1e-9);
    }

    [Fact]
    public void The_distance_is_symmetric_and_non_negative_for_correlated_features()
    {
        // Given two sets of different sizes with correlated features
        var g = new Generator(2);
        using var a = randn([150, 4], generator: g, dtype: float64);
        using var mix = randn([4, 4], generator: g, dtype: float64);
        using var b = matmul(randn([90, 4], generator: g, dtype: float64), mix) + 1;
        // When the distance is taken both ways
        var ab = SampleJudge.FrechetDistanceOfFeatures(a, b);
        var ba = SampleJudge.FrechetDistanceOfFeatures(b, a);
        // Then it is the same, and positive
        Assert.Equal(ab, ba, ab * 1e-8);
        Assert.True(ab > 0);
    }

    [Fact]
    public void Feature_sets_of_the_wrong_shape_are_refused()
    {
        using var a = randn(10, 3);
        // Then different widths, vectors and single rows are refused with a message
        Assert.Contains("same D", Assert.Throws<ArgumentException>(() => SampleJudge.FrechetDistanceOfFeatures(a, randn(10, 4))).Message);
        Assert.Contains("(N, D)", Assert.Throws<ArgumentException>(() => SampleJudge.FrechetDistanceOfFeatures(randn(10), randn(10))).Message);
        Assert.Contains("two rows", Assert.Throws<ArgumentException>(() => SampleJudge.FrechetDistanceOfFeatures(a, randn(1, 3))).Message);
    }

    /// <summary>A judge whose last layer ignores the image and favours class 3 (logit 5, all others 0).</summary>
    private static SampleJudge RiggedJudge()
    {
        manual_seed(3);
        var cnn = new ModernCnn();
        var fc2 = (Linear)cnn.Head.named_children().Single(c => c.name == "fc2").module;
        using var noGrad = no_grad();
        fc2.weight!.zero_();
        fc2.bias!.zero_();
        fc2.bias[3] = 5;
        return new SampleJudge(cnn);
    }

    [Fact]
    public void The_verdict_counts_images_per_top_class_and_their_mean_confidence()
    {
        // Given a judge that sees class 3 in every image
        var judge = RiggedJudge();
        using var images = rand(12, 1, 28, 28);
        // When it judges 12 images
        var verdict = judge.Verdict(images);
        // Then all 12 fall in class 3, one class is covered, and the confidence is softmax's e⁵ / (e⁵ + 9)
        Assert.Equal(10, verdict.PerClass.Count);
        Assert.Equal(12L, verdict.PerClass[3]);
        Assert.Equal(12L, verdict.PerClass.Sum());
        Assert.Equal(1, verdict.Covered);
        Assert.Equal(Math.Exp(5) / (Math.Exp(5) + 9), verdict.Confidence, 1e-5);
        // ... and its features are one 128-vector per image
        using var features = judge.Features(images);
        Assert.Equal([12L, 128L], features.shape);
        Assert.Equal(ScalarType.Float64, features.dtype);
    }

    [Fact]
    public void Images_of_the_wrong_shape_are_refused_by_the_judge()
    {
        var judge = RiggedJudge();
        // Then flat images and colour images are refused with the expected shape in the message
        Assert.Contains("(N, 1, 28, 28)", Assert.Throws<ArgumentException>(() => judge.Verdict(rand(4, 784))).Message);
        Assert.Contains("(N, 1, 28, 28)", Assert.Throws<ArgumentException>(() => judge.Features(rand(4, 3, 28, 28))).Message);
        Assert.Contains("(N, 1, 28, 28)", Assert.Throws<ArgumentException>(() => judge.Verdict(rand(4, 1, 32, 32))).Message);
    }

    [Fact]
    public void The_data_key_changes_when_one_pixel_changes()
    {
        // Given images and labels, and a copy with one pixel changed
        using var images = rand([5, 1, 28, 28], generator: new Generator(4));
        using var labels = tensor(new long[] { 0, 1, 2, 3, 4 });
        using var changed = images.clone();
        changed[2, 0, 14, 14] = changed[2, 0, 14, 14] + 1e-3f;
        // Then the key is stable for equal content, shows the shape, and differs for the changed pixel or other labels
        var key = CourseGenerators.DataKey(images, labels);
        Assert.Equal(key, CourseGenerators.DataKey(images.clone(), labels.clone()));
        Assert.StartsWith("(5, 1, 28, 28) sha256 ", key);
        Assert.NotEqual(key, CourseGenerators.DataKey(changed, labels));
        Assert.NotEqual(key, CourseGenerators.DataKey(images, labels.flip(0)));
        Assert.NotEqual(key, CourseGenerators.DataKey(images));
    }
}
