namespace DeepLearning.Course.Training;

/// <summary>
/// Counts and scores of a binary classifier at one threshold: precision (of the examples called positive, the
/// share that are), recall (of the positives, the share found), F1 (their harmonic mean) and accuracy.
/// </summary>
/// <param name="TruePositives">Positives called positive.</param>
/// <param name="FalsePositives">Negatives called positive.</param>
/// <param name="TrueNegatives">Negatives called negative.</param>
/// <param name="FalseNegatives">Positives called negative.</param>
/// <remarks>Introduced in chapter 12 (language), for the spam classifiers (spam is the positive class).</remarks>
public sealed record BinaryScores(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>TP / (TP + FP); 1 when nothing is called positive.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 1 when there are no positives.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>2 · precision · recall / (precision + recall).</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>(TP + TN) / all.</summary>
    public double Accuracy => (double)(TruePositives + TrueNegatives) / Math.Max(1, TruePositives + FalsePositives + TrueNegatives + FalseNegatives);

    /// <summary>Scores of "positive when score ≥ threshold".</summary>
    /// <param name="scores">One score (e.g. a probability) per example.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <param name="threshold">The decision threshold.</param>
    /// <returns>The counts.</returns>
    public static BinaryScores At(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count) throw new ArgumentException($"{scores.Count} scores for {labels.Count} labels", nameof(scores));
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var called = scores[i] >= threshold;
            if (called && labels[i]) tp++;
            else if (called) fp++;
            else if (labels[i]) fn++;
            else tn++;
        }
        return new BinaryScores(tp, fp, tn, fn);
    }

    /// <inheritdoc/>
    public override string ToString() => $"precision {Precision:F3}, recall {Recall:F3}, F1 {F1:F3}, accuracy {Accuracy:F3} (TP {TruePositives}, FP {FalsePositives}, TN {TrueNegatives}, FN {FalseNegatives})";
}
