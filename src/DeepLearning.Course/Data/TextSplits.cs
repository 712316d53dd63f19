namespace DeepLearning.Course.Data;

/// <summary>A text cut into three contiguous, non-overlapping parts, with the character ranges each came from.</summary>
/// <param name="Train">First part.</param>
/// <param name="Validation">Middle part.</param>
/// <param name="Test">Last part.</param>
/// <param name="TrainRange">Character range of <paramref name="Train"/> in the source text.</param>
/// <param name="ValidationRange">Character range of <paramref name="Validation"/>.</param>
/// <param name="TestRange">Character range of <paramref name="Test"/>.</param>
/// <remarks>Introduced in chapter 04 (RNN language models on Moby Dick).</remarks>
public sealed record TextSplits(string Train, string Validation, string Test, Range TrainRange, Range ValidationRange, Range TestRange)
{
    /// <summary>
    /// Cuts <paramref name="text"/> into train (first), validation and test (last) parts by fractions of its
    /// length, moving each cut forward to the next line break so no line is split.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <returns>The three parts.</returns>
    public static TextSplits Contiguous(string text, double validationFraction = 0.1, double testFraction = 0.1)
    {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "validation and test fractions must be >= 0 and sum to less than 1");
        int Cut(double at)
        {
            var i = (int)Math.Round(text.Length * at);
            var nl = text.IndexOf('\n', Math.Min(i, text.Length));
            return nl < 0 ? i : nl + 1;
        }
        var a = Cut(1 - validationFraction - testFraction);
        var b = Math.Max(a, Cut(1 - testFraction));
        return new TextSplits(text[..a], text[a..b], text[b..], ..a, a..b, b..);
    }
}
