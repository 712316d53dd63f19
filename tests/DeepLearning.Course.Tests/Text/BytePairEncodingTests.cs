using DeepLearning.Course.Text;

namespace DeepLearning.Course.Tests.Text;

public class BytePairEncodingTests
{
    // Sennrich et al. (2016)'s toy corpus: low ×5, lower ×2, newest ×6, widest ×3.
    private static IEnumerable<string> Corpus() =>
        Enumerable.Repeat("low", 5).Concat(Enumerable.Repeat("lower", 2)).Concat(Enumerable.Repeat("newest", 6)).Concat(Enumerable.Repeat("widest", 3));

    [Fact]
    public void Learning_merges_the_most_frequent_pair_first_with_ties_to_the_ordinally_smallest()
    {
        // Given the toy corpus
        // When three merges are learned
        var bpe = BytePairEncoding.Learn(Corpus(), 3);
        // Then e+s (9 times, tied with s+t</w>, which sorts later) comes first, then es+t</w> (9), then l+o (7)
        Assert.Equal(new[] { ("e", "s", 9), ("es", "t</w>", 9), ("l", "o", 7) }, bpe.Merges.Select(m => (m.Left, m.Right, m.Count)));
        Assert.Equal(bpe.Alphabet.Count + 3, bpe.VocabularySize);
    }

    [Fact]
    public void Encoding_replays_the_merges_and_decoding_gives_the_words_back()
    {
        // Given merges learned on the toy corpus
        var bpe = BytePairEncoding.Learn(Corpus(), 10);
        // When a seen and an unseen word are encoded
        var seen = bpe.EncodeWord("newest");
        var unseen = bpe.EncodeWord("lowest");
        // Then the seen word is one symbol, the unseen one splits into learned pieces (lo, w, est</w>), and decoding restores both
        Assert.Equal(new[] { "newest</w>" }, seen);
        Assert.Equal(new[] { "lo", "w", "est</w>" }, unseen);
        Assert.Equal(new[] { "newest", "lowest" }, BytePairEncoding.Decode(bpe.Encode(["newest", "lowest"])));
    }

    [Fact]
    public void Fewer_merges_give_longer_sequences()
    {
        // Given ten merges and the first two of them
        var bpe = BytePairEncoding.Learn(Corpus(), 10);
        var small = bpe.Truncate(2);
        // Then the truncated tokenizer keeps the first merges and splits words into more symbols
        Assert.Equal(bpe.Merges.Take(2), small.Merges);
        Assert.True(small.Encode(Corpus()).Count > bpe.Encode(Corpus()).Count);
    }

    [Theory]
    [InlineData("a a a", "a", "a", "aa a")]
    [InlineData("a a a a", "a", "a", "aa aa")]
    [InlineData("t h e t h e", "t", "h", "th e th e")]
    [InlineData("n e w", "e", "s", "n e w")]
    public void A_merge_joins_every_occurrence_left_to_right_without_overlaps(string symbols, string left, string right, string expected)
    {
        // When the pair is merged / Then
        Assert.Equal(expected.Split(' '), BytePairEncoding.Apply(symbols.Split(' '), left, right));
    }
}
