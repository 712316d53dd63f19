namespace DeepLearning.Course.Training;

/// <summary>Precision and recall at every distinct score used as the threshold, highest threshold first.</summary>
/// <param name="Precision">Positives among the examples called positive, at each threshold.</param>
/// <param name="Recall">Positives called positive among all positives, at each threshold.</param>
/// <param name="Thresholds">The thresholds, falling.</param>
/// <remarks>Introduced in chapter 08 (anomaly detection), with <see cref="BinaryScores"/>.</remarks>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds)
{
    /// <summary>Average precision: the precision at each threshold weighted by the recall it adds, <c>Σ (Rₙ − Rₙ₋₁) Pₙ</c> (scikit-learn's definition).</summary>
    public double AveragePrecision
    {
        get
        {
            double sum = 0, previousRecall = 0;
            for (var i = 0; i < Recall.Length; i++)
            {
                sum += (Recall[i] - previousRecall) * Precision[i];
                previousRecall = Recall[i];
            }
            return sum;
        }
    }
}
