using DeepLearning.Course.Training;

namespace DeepLearning.Course.Tests.Training;

public class BinaryScoresTests
{
    [Fact]
    public void Precision_recall_and_F1_come_from_the_counts_at_the_threshold()
    {
        // Given 3 positives and 3 negatives scored by a classifier
        double[] scores = [0.9, 0.8, 0.3, 0.7, 0.2, 0.1];
        bool[] labels = [true, true, true, false, false, false];
        // When thresholded at 0.5
        var s = BinaryScores.At(scores, labels, 0.5);
        // Then TP 2, FP 1, FN 1, TN 2: precision 2/3, recall 2/3, F1 2/3
        Assert.Equal(new BinaryScores(2, 1, 2, 1), s);
        Assert.Equal(2.0 / 3, s.Precision, 10);
        Assert.Equal(2.0 / 3, s.Recall, 10);
        Assert.Equal(2.0 / 3, s.F1, 10);
        Assert.Equal(4.0 / 6, s.Accuracy, 10);
    }

    [Fact]
    public void The_ROC_area_is_the_chance_a_positive_outscores_a_negative()
    {
        // Given scores where 3 of the 4 positive-negative pairs are ordered right
        var roc = RocCurve.From([0.9, 0.8, 0.7, 0.6], [true, false, true, false]);
        // Then the area is 3/4, the curve runs from (0, 0) to (1, 1), and the first threshold is +∞
        Assert.Equal(0.75, roc.Auc, 10);
        Assert.Equal((0.0, 0.0), (roc.FalsePositiveRates[0], roc.TruePositiveRates[0]));
        Assert.Equal((1.0, 1.0), (roc.FalsePositiveRates[^1], roc.TruePositiveRates[^1]));
        Assert.True(double.IsPositiveInfinity(roc.Thresholds[0]));
        // and a perfect ranking gives 1, a tie between a positive and a negative counts half
        Assert.Equal(1.0, RocCurve.From([0.9, 0.1], [true, false]).Auc, 10);
        Assert.Equal(0.5, RocCurve.From([0.5, 0.5], [true, false]).Auc, 10);
        Assert.Throws<ArgumentException>(() => RocCurve.From([0.5, 0.4], [true, true]));
    }
}
