using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// How well a score separates positives from negatives (an anomaly score, a spam probability, a logit): the ROC curve
/// and its area, precision and recall at every threshold, and the confusion counts at one threshold. An example is
/// called positive when its score is at least the threshold; higher scores mean "more positive".
/// </summary>
/// <remarks>
/// Introduced in chapter 08 (anomaly detection by reconstruction error), where the ROC curve and its area are first
/// computed by hand. The library's one place for ROC, AUC, precision and recall; each works on any scores and 0/1 labels.
/// </remarks>
public static class BinaryScores
{
    /// <summary>
    /// The ROC curve: the true-positive rate against the false-positive rate as the threshold falls from above the
    /// highest score (nothing called positive: (0, 0)) through every distinct score to the lowest (everything: (1, 1)).
    /// Tied scores move together, as one diagonal step.
    /// </summary>
    /// <param name="scores">Scores <c>(N)</c> (any shape; flattened).</param>
    /// <param name="labels">1 (or true) for positives, 0 for negatives, same number of values.</param>
    /// <returns>The curve; <see cref="RocCurve.Auc"/> is its area.</returns>
    /// <exception cref="ArgumentException">Shapes differ, or a class is missing (the rates would divide by zero).</exception>
    public static RocCurve Roc(Tensor scores, Tensor labels)
    {
        var steps = Sweep(scores, labels, out var positives, out var negatives);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        foreach (var (threshold, tp, fp) in steps)
        {
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
            thresholds.Add(threshold);
        }
        return new RocCurve([.. fpr], [.. tpr], [.. thresholds]);
    }

    /// <summary>
    /// The area under the ROC curve as a rank statistic (Mann–Whitney): the probability that a random positive scores
    /// above a random negative, ties counting one half. Equal to <see cref="RocCurve.Auc"/> (the trapezoids' area).
    /// </summary>
    /// <param name="scores">Scores <c>(N)</c>.</param>
    /// <param name="labels">1 for positives, 0 for negatives.</param>
    /// <returns>The area, in [0, 1]; 0.5 is a coin flip.</returns>
    /// <exception cref="ArgumentException">Shapes differ, or a class is missing.</exception>
    public static double Auc(Tensor scores, Tensor labels)
    {
        var (s, y) = Read(scores, labels);
        var order = Enumerable.Range(0, s.Length).OrderBy(i => s[i]).ToArray();
        double rankSumOfPositives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && s[order[end + 1]] == s[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;          // ties share their mean rank
            for (var i = start; i <= end; i++) if (y[order[i]]) rankSumOfPositives += averageRank;
            start = end + 1;
        }
        long positives = y.Count(v => v), negatives = y.Length - positives;
        return (rankSumOfPositives - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Precision (of the examples called positive, the share that are) and recall (of the positives, the share called
    /// positive) at every distinct score used as the threshold, highest first.
    /// </summary>
    /// <param name="scores">Scores <c>(N)</c>.</param>
    /// <param name="labels">1 for positives, 0 for negatives.</param>
    /// <returns>The curve; <see cref="PrecisionRecallCurve.AveragePrecision"/> summarises it.</returns>
    /// <exception cref="ArgumentException">Shapes differ, or a class is missing.</exception>
    public static PrecisionRecallCurve PrecisionRecall(Tensor scores, Tensor labels)
    {
        var steps = Sweep(scores, labels, out var positives, out _);
        return new PrecisionRecallCurve(
            [.. steps.Select(t => (double)t.TruePositives / (t.TruePositives + t.FalsePositives))],
            [.. steps.Select(t => (double)t.TruePositives / positives)],
            [.. steps.Select(t => t.Threshold)]);
    }

    /// <summary>The confusion counts when every example scoring at least <paramref name="threshold"/> is called positive.</summary>
    /// <param name="scores">Scores <c>(N)</c> (for probabilities, threshold 0.5 is the usual decision; for logits, 0).</param>
    /// <param name="labels">1 for positives, 0 for negatives.</param>
    /// <param name="threshold">The decision threshold.</param>
    /// <returns>The four counts, with precision, recall, F1 and accuracy.</returns>
    /// <exception cref="ArgumentException">Shapes differ.</exception>
    public static BinaryConfusion Confusion(Tensor scores, Tensor labels, double threshold)
    {
        var (s, y) = Read(scores, labels, requireBothClasses: false);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var called = s[i] >= threshold;
            if (called && y[i]) tp++;
            else if (called) fp++;
            else if (y[i]) fn++;
            else tn++;
        }
        return new BinaryConfusion(tp, fp, tn, fn);
    }

    /// <summary>Counts of true and false positives after each group of tied scores, highest score first.</summary>
    private static List<(double Threshold, long TruePositives, long FalsePositives)> Sweep(Tensor scores, Tensor labels, out long positives, out long negatives)
    {
        var (s, y) = Read(scores, labels);
        var order = Enumerable.Range(0, s.Length).OrderByDescending(i => s[i]).ToArray();
        var steps = new List<(double, long, long)>();
        long tp = 0, fp = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && s[order[end + 1]] == s[order[start]]) end++;
            for (var i = start; i <= end; i++) { if (y[order[i]]) tp++; else fp++; }
            steps.Add((s[order[start]], tp, fp));
            start = end + 1;
        }
        positives = tp;
        negatives = fp;
        return steps;
    }

    private static (double[] Scores, bool[] Labels) Read(Tensor scores, Tensor labels, bool requireBothClasses = true)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.numel() != labels.numel())
            throw new ArgumentException($"{scores.numel()} scores but {labels.numel()} labels.");
        using var scope = NewDisposeScope();
        var s = scores.detach().cpu().reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        var y = labels.detach().cpu().reshape(-1).to_type(ScalarType.Float64).data<double>().Select(v => v != 0).ToArray();
        if (s.Any(double.IsNaN)) throw new ArgumentException("A score is NaN.");
        if (requireBothClasses && (y.All(v => v) || !y.Any(v => v)))
            throw new ArgumentException($"Labels must contain both classes (positives: {y.Count(v => v)} of {y.Length}).");
        return (s, y);
    }
}
