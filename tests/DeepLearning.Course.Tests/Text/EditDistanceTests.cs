using DeepLearning.Course.Text;

namespace DeepLearning.Course.Tests.Text;

public class EditDistanceTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    public void Levenshtein_counts_insertions_deletions_and_substitutions(string a, string b, int expected) =>
        // When / Then
        Assert.Equal(expected, EditDistance.Levenshtein(a.ToCharArray(), b.ToCharArray()));

    [Fact]
    public void Phoneme_error_rate_sums_edits_over_reference_length_and_word_error_rate_counts_wrong_words()
    {
        // Given two predictions, one right and one with a substitution and a deletion (reference lengths 3 and 4)
        IReadOnlyList<string>[] references = [["K", "AE", "T"], ["D", "AO", "G", "Z"]];
        IReadOnlyList<string>[] predicted = [["K", "AE", "T"], ["D", "AA", "G"]];
        // Then PER = 2 / 7 and WER = 1 / 2
        Assert.Equal(2.0 / 7, EditDistance.ErrorRate(predicted, references), 10);
        Assert.Equal(0.5, EditDistance.SequenceErrorRate(predicted, references), 10);
    }
}
