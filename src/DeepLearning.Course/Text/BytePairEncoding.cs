namespace DeepLearning.Course.Text;

/// <summary>One learned merge of <see cref="BytePairEncoding"/>: two adjacent symbols become one.</summary>
/// <param name="Left">The left symbol.</param>
/// <param name="Right">The right symbol.</param>
/// <param name="Count">How often the pair occurred in the corpus when it was merged.</param>
/// <remarks>Introduced in chapter 12 (language), where the first merges learned on Moby Dick are shown.</remarks>
public sealed record BpeMerge(string Left, string Right, int Count)
{
    /// <summary>The symbol the merge creates.</summary>
    public string Merged => Left + Right;

    /// <inheritdoc/>
    public override string ToString() => $"{Left} + {Right} → {Merged} ({Count:N0}×)";
}

/// <summary>
/// Byte-pair encoding learned from scratch (Sennrich, Haddow &amp; Birch 2016): start from the characters of
/// every word (with an end-of-word marker <see cref="EndOfWord"/>), then repeatedly merge the most frequent
/// pair of adjacent symbols into a new symbol. The merges, in the order learned, are the tokenizer: encoding
/// a word replays them.
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language), which learns merges on Moby Dick and plots vocabulary size against
/// sequence length. GPT-2's tokenizer (<see cref="Gpt2Tokenizer"/>) is the same algorithm on bytes.
/// Ties between pairs of equal count go to the ordinally smallest (left, right), so learning is deterministic.
/// </remarks>
public sealed class BytePairEncoding
{
    /// <summary>The end-of-word marker appended to the last character of each word.</summary>
    public const string EndOfWord = "</w>";

    private readonly Dictionary<(string, string), int> _ranks;
    private readonly Dictionary<string, string[]> _cache = new(StringComparer.Ordinal);

    private BytePairEncoding(IReadOnlyList<string> alphabet, IReadOnlyList<BpeMerge> merges)
    {
        Alphabet = alphabet;
        Merges = merges;
        _ranks = new Dictionary<(string, string), int>();
        for (var i = 0; i < merges.Count; i++) _ranks.TryAdd((merges[i].Left, merges[i].Right), i);
    }

    /// <summary>The starting symbols: every character of the corpus, alone and with <see cref="EndOfWord"/>, ordinally sorted.</summary>
    public IReadOnlyList<string> Alphabet { get; }

    /// <summary>The merges in the order they were learned (rank 0 first).</summary>
    public IReadOnlyList<BpeMerge> Merges { get; }

    /// <summary>Vocabulary size: the alphabet plus one symbol per merge.</summary>
    public int VocabularySize => Alphabet.Count + Merges.Count;

    /// <summary>Learns <paramref name="merges"/> merges from the words of a corpus.</summary>
    /// <param name="words">The corpus as words (e.g. <c>WordTokenizer.Tokenize(text)</c>).</param>
    /// <param name="merges">How many merges to learn (fewer when no pair occurs twice any more).</param>
    /// <returns>The tokenizer.</returns>
    public static BytePairEncoding Learn(IEnumerable<string> words, int merges)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfNegative(merges);
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in words)
            if (w.Length > 0) frequency[w] = frequency.TryGetValue(w, out var n) ? n + 1 : 1;
        var vocabulary = frequency.Keys.OrderBy(w => w, StringComparer.Ordinal).ToArray();
        var counts = vocabulary.Select(w => frequency[w]).ToArray();
        var symbols = vocabulary.Select(Characters).ToArray();
        var alphabet = symbols.SelectMany(s => s).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();

        // Pair counts over the whole corpus, and which words hold each pair (updated incrementally per merge).
        var pairCounts = new Dictionary<(string, string), int>();
        var holders = new Dictionary<(string, string), HashSet<int>>();
        void Count(int word, int sign)
        {
            var s = symbols[word];
            for (var i = 0; i + 1 < s.Length; i++)
            {
                var pair = (s[i], s[i + 1]);
                var updated = (pairCounts.TryGetValue(pair, out var c) ? c : 0) + sign * counts[word];
                if (updated == 0) pairCounts.Remove(pair);   // keeps the scan for the best pair short
                else pairCounts[pair] = updated;
                if (sign > 0)
                {
                    if (!holders.TryGetValue(pair, out var set)) holders[pair] = set = [];
                    set.Add(word);
                }
            }
        }
        for (var w = 0; w < symbols.Length; w++) Count(w, +1);

        var learned = new List<BpeMerge>();
        while (learned.Count < merges)
        {
            (string, string) best = ("", "");
            var bestCount = 1;   // a pair seen once is not worth a symbol
            foreach (var (pair, c) in pairCounts)
            {
                if (c > bestCount || (c == bestCount && c > 1 && Compare(pair, best) < 0))
                {
                    best = pair;
                    bestCount = c;
                }
            }
            if (bestCount < 2) break;
            learned.Add(new BpeMerge(best.Item1, best.Item2, bestCount));
            foreach (var w in holders[best].ToArray())
            {
                Count(w, -1);
                symbols[w] = Apply(symbols[w], best.Item1, best.Item2);
                Count(w, +1);
            }
            holders.Remove(best);
            pairCounts.Remove(best);
        }
        return new BytePairEncoding(alphabet, learned);
    }

    /// <summary>The same tokenizer with only its first <paramref name="merges"/> merges (a smaller vocabulary).</summary>
    /// <param name="merges">How many merges to keep.</param>
    /// <returns>The smaller tokenizer.</returns>
    public BytePairEncoding Truncate(int merges) =>
        new(Alphabet, Merges.Take(Math.Clamp(merges, 0, Merges.Count)).ToArray());

    /// <summary>Splits one word into its symbols by replaying the merges, lowest rank first.</summary>
    /// <param name="word">The word (no spaces).</param>
    /// <returns>The symbols; the last one ends with <see cref="EndOfWord"/>.</returns>
    public IReadOnlyList<string> EncodeWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (_cache.TryGetValue(word, out var cached)) return cached;
        var s = Replay(Characters(word), _ranks);
        _cache[word] = s;
        return s;
    }

    /// <summary>Encodes words into symbols, word after word.</summary>
    /// <param name="words">The words.</param>
    /// <returns>All symbols in order.</returns>
    public IReadOnlyList<string> Encode(IEnumerable<string> words) => words.SelectMany(EncodeWord).ToArray();

    /// <summary>Joins symbols back into words: <see cref="EndOfWord"/> ends a word.</summary>
    /// <param name="symbols">Symbols from <see cref="Encode"/>.</param>
    /// <returns>The words.</returns>
    public static IReadOnlyList<string> Decode(IEnumerable<string> symbols)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var s in symbols)
        {
            if (s.EndsWith(EndOfWord, StringComparison.Ordinal))
            {
                current.Append(s, 0, s.Length - EndOfWord.Length);
                words.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(s);
            }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    /// <summary>
    /// Merges every occurrence of the adjacent pair (<paramref name="left"/>, <paramref name="right"/>), scanning
    /// left to right without overlaps (<c>a a a</c> with <c>a + a</c> gives <c>aa a</c>).
    /// </summary>
    /// <param name="symbols">The symbols.</param>
    /// <param name="left">Left symbol of the pair.</param>
    /// <param name="right">Right symbol of the pair.</param>
    /// <returns>The merged symbols (the same array when the pair does not occur).</returns>
    public static string[] Apply(string[] symbols, string left, string right)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        List<string>? merged = null;
        for (var i = 0; i < symbols.Length; i++)
        {
            if (i + 1 < symbols.Length && symbols[i] == left && symbols[i + 1] == right)
            {
                merged ??= new List<string>(symbols[..i]);
                merged.Add(left + right);
                i++;
            }
            else
            {
                merged?.Add(symbols[i]);
            }
        }
        return merged?.ToArray() ?? symbols;
    }

    /// <summary>
    /// Replays learned merges on symbols: while some adjacent pair has a rank, merge the pair of lowest rank
    /// (every occurrence). Shared by this class and <see cref="Gpt2Tokenizer"/>.
    /// </summary>
    /// <param name="symbols">The starting symbols.</param>
    /// <param name="ranks">Each mergeable pair's rank (0 = learned first).</param>
    /// <returns>The symbols after every applicable merge.</returns>
    internal static string[] Replay(string[] symbols, IReadOnlyDictionary<(string, string), int> ranks)
    {
        while (symbols.Length > 1)
        {
            var bestRank = int.MaxValue;
            var bestAt = -1;
            for (var i = 0; i + 1 < symbols.Length; i++)
                if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank) (bestRank, bestAt) = (rank, i);
            if (bestAt < 0) break;
            symbols = Apply(symbols, symbols[bestAt], symbols[bestAt + 1]);
        }
        return symbols;
    }

    /// <summary>A word's characters, the last with <see cref="EndOfWord"/> attached.</summary>
    private static string[] Characters(string word)
    {
        var s = new string[word.Length];
        for (var i = 0; i < word.Length; i++) s[i] = word[i].ToString();
        if (s.Length > 0) s[^1] += EndOfWord;
        return s;
    }

    private static int Compare((string, string) a, (string, string) b)
    {
        var c = string.CompareOrdinal(a.Item1, b.Item1);
        return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
    }

    /// <inheritdoc/>
    public override string ToString() => $"BPE: {Alphabet.Count} characters + {Merges.Count} merges = {VocabularySize} symbols";
}
