namespace DeepLearning.Course.Training;

/// <summary>The four counts of a binary decision, and the rates read from them.</summary>
/// <param name="TruePositives">Positives called positive.</param>
/// <param name="FalsePositives">Negatives called positive.</param>
/// <param name="TrueNegatives">Negatives called negative.</param>
/// <param name="FalseNegatives">Positives called negative.</param>
/// <remarks>Introduced in chapter 08 (anomaly detection), with <see cref="BinaryScores"/>.</remarks>
public sealed record BinaryConfusion(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>Of the examples called positive, the share that are: <c>TP / (TP + FP)</c> (NaN when none is called positive).</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Of the positives, the share called positive (the true-positive rate): <c>TP / (TP + FN)</c>.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Of the negatives, the share called positive: <c>FP / (FP + TN)</c>.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>The harmonic mean of precision and recall: <c>2 TP / (2 TP + FP + FN)</c>.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>The share of all examples decided correctly.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, TruePositives + FalsePositives + TrueNegatives + FalseNegatives);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
