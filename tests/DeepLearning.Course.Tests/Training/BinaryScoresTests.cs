using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class BinaryScoresTests
{
    [Fact]
    public void Roc_curve_steps_through_every_threshold_from_nothing_to_everything()
    {
        // Given four scores: positives at 0.9 and 0.4, negatives at 0.7 and 0.1
        using var scores = tensor(new[] { 0.9, 0.7, 0.4, 0.1 });
        using var labels = tensor(new long[] { 1, 0, 1, 0 });
        // When the ROC curve is drawn
        var roc = BinaryScores.Roc(scores, labels);
        // Then it goes (0,0) -> (0,½) -> (½,½) -> (½,1) -> (1,1), thresholds falling from +∞ through each score
        Assert.Equal([0, 0, 0.5, 0.5, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.TruePositiveRate);
        Assert.Equal([double.PositiveInfinity, 0.9, 0.7, 0.4, 0.1], roc.Thresholds);
        // ... and its area is 3/4: three of the four (positive, negative) pairs are ordered correctly
        Assert.Equal(0.75, roc.Auc, 12);
        Assert.Equal(0.75, BinaryScores.Auc(scores, labels), 12);
        Assert.Equal(0.5, roc.TruePositiveRateAt(0.25), 12);
    }

    [Fact]
    public void Tied_scores_move_together_and_count_one_half_in_the_area()
    {
        // Given one positive and one negative with the same score, and a clear positive above them
        using var scores = tensor(new float[] { 0.5f, 0.5f, 0.8f });
        using var labels = tensor(new[] { true, false, true });
        // When ROC and AUC are computed
        var roc = BinaryScores.Roc(scores, labels);
        // Then the tie is one diagonal step, and the tied pair counts one half: AUC = (1 + 0.5) / 2
        Assert.Equal([0, 0, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 1], roc.TruePositiveRate);
        Assert.Equal(0.75, roc.Auc, 6);
        Assert.Equal(0.75, BinaryScores.Auc(scores, labels), 6);
    }

    [Fact]
    public void Trapezoid_area_equals_the_rank_statistic_on_random_scores()
    {
        // Given 500 random scores whose positives score a little higher, with ties from rounding
        manual_seed(0);
        using var labels = rand(500).lt(0.3);
        using var scores = (randn(500) + labels.to_type(ScalarType.Float32)).mul(4).round();
        // When the area is computed both ways
        var trapezoids = BinaryScores.Roc(scores, labels).Auc;
        var ranks = BinaryScores.Auc(scores, labels);
        // Then they agree, and separate the classes better than chance
        Assert.Equal(ranks, trapezoids, 10);
        Assert.InRange(ranks, 0.7, 0.9);
    }

    [Fact]
    public void Precision_and_recall_at_each_threshold_and_average_precision()
    {
        // Given the four scores of the ROC test
        using var scores = tensor(new[] { 0.9, 0.7, 0.4, 0.1 });
        using var labels = tensor(new long[] { 1, 0, 1, 0 });
        // When precision and recall are computed
        var pr = BinaryScores.PrecisionRecall(scores, labels);
        // Then at 0.9: 1 of 1 called is positive, half the positives found; at 0.7: 1 of 2; at 0.4: 2 of 3, all found
        Assert.Equal([1, 0.5, 2.0 / 3, 0.5], pr.Precision);
        Assert.Equal([0.5, 0.5, 1, 1], pr.Recall);
        // ... and average precision weights each precision by the recall it adds: ½ · 1 + ½ · ⅔
        Assert.Equal(0.5 + 1.0 / 3, pr.AveragePrecision, 12);
    }

    [Fact]
    public void Confusion_at_a_threshold_gives_the_counts_and_their_rates()
    {
        // Given probabilities and labels of six emails (1 = spam)
        using var scores = tensor(new float[] { 0.95f, 0.8f, 0.6f, 0.4f, 0.3f, 0.05f });
        using var labels = tensor(new long[] { 1, 1, 0, 1, 0, 0 });
        // When everything at or above 0.5 is called spam
        var c = BinaryScores.Confusion(scores, labels, 0.5);
        // Then 2 true positives, 1 false positive, 2 true negatives, 1 false negative
        Assert.Equal(new BinaryConfusion(2, 1, 2, 1), c);
        Assert.Equal(2.0 / 3, c.Precision, 12);
        Assert.Equal(2.0 / 3, c.Recall, 12);
        Assert.Equal(2.0 / 3, c.F1, 12);
        Assert.Equal(1.0 / 3, c.FalsePositiveRate, 12);
        Assert.Equal(4.0 / 6, c.Accuracy, 12);
    }

    [Fact]
    public void A_single_class_or_mismatched_lengths_are_refused_with_the_reason()
    {
        using var scores = tensor(new float[] { 0.2f, 0.4f });
        var oneClass = Assert.Throws<ArgumentException>(() => BinaryScores.Roc(scores, tensor(new long[] { 1, 1 })));
        Assert.Contains("both classes", oneClass.Message);
        var lengths = Assert.Throws<ArgumentException>(() => BinaryScores.Auc(scores, tensor(new long[] { 1, 0, 1 })));
        Assert.Contains("2 scores but 3 labels", lengths.Message);
    }

    [Fact]
    public void Psnr_is_ten_log10_of_one_over_each_images_mse_averaged_over_images()
    {
        // Given two 2x2 images against zero targets: MSE 0.01 (20 dB) and 0.0001 (40 dB)
        using var yHat = tensor(new float[] { 0.1f, 0.1f, 0.1f, 0.1f, 0.01f, 0.01f, 0.01f, 0.01f }).reshape(2, 1, 2, 2);
        using var y = zeros(2, 1, 2, 2);
        // When PSNR is measured
        var (sum, count) = Metric.Psnr.Measure(yHat, y);
        // Then it is the mean of the images' PSNRs, and an exact copy is capped at 100 dB
        Assert.Equal(2, count);
        Assert.Equal(30, Metric.Psnr.Finish(sum, count), 4);
        Assert.Equal(100, Metric.Psnr.Finish(Metric.Psnr.Measure(y, y).Sum, 2), 4);
        Assert.True(Metric.Psnr.HigherIsBetter);
    }
}
