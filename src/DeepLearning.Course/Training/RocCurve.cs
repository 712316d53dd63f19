namespace DeepLearning.Course.Training;

/// <summary>
/// The receiver operating characteristic of a scorer on labelled examples: for every threshold, the true-positive
/// rate (recall) against the false-positive rate, and the area under that curve (AUC: the probability that a random
/// positive scores above a random negative, ties counting half).
/// </summary>
/// <param name="FalsePositiveRates">False-positive rate at each threshold, from 0 up to 1.</param>
/// <param name="TruePositiveRates">True-positive rate at each threshold, from 0 up to 1.</param>
/// <param name="Thresholds">The thresholds (predict positive when score ≥ threshold), descending; the first is +∞.</param>
/// <param name="Auc">Area under the curve (trapezoids).</param>
/// <remarks>Introduced in chapter 12 (language), for the spam classifiers; general for any binary scorer.</remarks>
public sealed record RocCurve(IReadOnlyList<double> FalsePositiveRates, IReadOnlyList<double> TruePositiveRates, IReadOnlyList<double> Thresholds, double Auc)
{
    /// <summary>The curve of <paramref name="scores"/> (higher = more likely positive) against <paramref name="labels"/>.</summary>
    /// <param name="scores">One score per example.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <returns>The curve, one point per distinct score plus (0, 0).</returns>
    /// <exception cref="ArgumentException">Lengths differ, or the labels lack a positive or a negative.</exception>
    public static RocCurve From(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count) throw new ArgumentException($"{scores.Count} scores for {labels.Count} labels", nameof(scores));
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) throw new ArgumentException("a ROC curve needs positive and negative examples", nameof(labels));
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]]) tp++; else fp++;
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;   // one point per distinct score
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
            thresholds.Add(scores[order[k]]);
        }
        var auc = 0.0;
        for (var i = 1; i < fpr.Count; i++) auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve(fpr, tpr, thresholds, auc);
    }
}
