namespace DeepLearning.Course.Training;

/// <summary>A receiver operating characteristic curve: one point per threshold, from (0, 0) to (1, 1).</summary>
/// <param name="FalsePositiveRate">False-positive rate (negatives called positive / negatives) at each threshold.</param>
/// <param name="TruePositiveRate">True-positive rate, the recall (positives called positive / positives), at each threshold.</param>
/// <param name="Thresholds">The thresholds, falling; the first is +∞ (nothing called positive).</param>
/// <remarks>Introduced in chapter 08 (anomaly detection), with <see cref="BinaryScores"/>.</remarks>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds)
{
    /// <summary>The area under the curve by the trapezoid rule (equal to <see cref="BinaryScores.Auc"/>).</summary>
    public double Auc
    {
        get
        {
            double area = 0;
            for (var i = 1; i < FalsePositiveRate.Length; i++)
                area += (FalsePositiveRate[i] - FalsePositiveRate[i - 1]) * (TruePositiveRate[i] + TruePositiveRate[i - 1]) / 2;
            return area;
        }
    }

    /// <summary>The highest true-positive rate reached while the false-positive rate stays at or below <paramref name="falsePositiveRate"/>.</summary>
    /// <param name="falsePositiveRate">The largest false-positive rate allowed.</param>
    /// <returns>The true-positive rate.</returns>
    public double TruePositiveRateAt(double falsePositiveRate) =>
        Enumerable.Range(0, FalsePositiveRate.Length).Where(i => FalsePositiveRate[i] <= falsePositiveRate).Max(i => TruePositiveRate[i]);
}
