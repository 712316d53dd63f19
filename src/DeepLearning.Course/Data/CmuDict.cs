namespace DeepLearning.Course.Data;

/// <summary>One pronunciation of the CMU Pronouncing Dictionary.</summary>
/// <param name="Word">The word in upper case, as the dictionary spells it (without a variant suffix such as <c>(1)</c>).</param>
/// <param name="Variant">0 for the first pronunciation, 1, 2, … for the alternatives.</param>
/// <param name="Phonemes">ARPAbet phonemes; vowels carry a stress digit (0, 1, 2) unless stress was removed.</param>
/// <remarks>Introduced in chapter 12 (language), with <see cref="CmuDict"/>.</remarks>
public sealed record CmuDictEntry(string Word, int Variant, IReadOnlyList<string> Phonemes);

/// <summary>The Carnegie Mellon Pronouncing Dictionary (134,000 pronunciations of 125,000 words; see <see cref="DatasetCatalog.CmuDict"/>).</summary>
/// <remarks>Introduced in chapter 12 (language): grapheme-to-phoneme conversion with an attention encoder–decoder.</remarks>
public static class CmuDict
{
    /// <summary>Loads every pronunciation, in dictionary order.</summary>
    /// <param name="path">Folder holding <c>dict.txt</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<CmuDictEntry> Load(string? path = null, DatasetLocator? locator = null) =>
        Parse(File.ReadLines((locator ?? new DatasetLocator()).Locate(DatasetCatalog.CmuDict, path).PathOf("dict.txt")));

    /// <summary>Parses dictionary lines (<c>WORD(1)  PH1 PH2 ...</c>; lines starting with <c>;;;</c> are comments).</summary>
    /// <param name="lines">The lines.</param>
    /// <returns>The entries.</returns>
    public static IReadOnlyList<CmuDictEntry> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new List<CmuDictEntry>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith(";;;", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) throw new DataFormatException($"CMUdict line without phonemes: '{raw}'");
            var word = parts[0];
            var variant = 0;
            var open = word.IndexOf('(', StringComparison.Ordinal);
            if (open > 0 && word.EndsWith(')'))
            {
                variant = int.Parse(word[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                word = word[..open];
            }
            entries.Add(new CmuDictEntry(word, variant, parts[1..]));
        }
        return entries;
    }

    /// <summary>
    /// The usual grapheme-to-phoneme set: each word's first pronunciation, words of letters and apostrophes only,
    /// stress digits removed (39 phonemes), as in Yao &amp; Zweig (2015).
    /// </summary>
    /// <param name="entries">Entries from <see cref="Load"/>.</param>
    /// <returns>One entry per word, in dictionary order.</returns>
    public static IReadOnlyList<CmuDictEntry> ForG2p(IEnumerable<CmuDictEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries
            .Where(e => e.Variant == 0 && e.Word.All(c => c is (>= 'A' and <= 'Z') or '\''))
            .Select(e => e with { Phonemes = e.Phonemes.Select(p => p.TrimEnd('0', '1', '2')).ToArray() })
            .ToArray();
    }
}
