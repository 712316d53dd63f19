namespace DeepLearning.Course.Data;

/// <summary>Whether a <see cref="Vocabulary"/> maps characters or words.</summary>
/// <remarks>Introduced in chapter 04 (RNN).</remarks>
public enum TokenKind
{
    /// <summary>Each token is one character (a UTF-16 code unit); decoding concatenates.</summary>
    Character,

    /// <summary>Each token is a word or punctuation mark from <see cref="WordTokenizer"/>; decoding joins with spaces.</summary>
    Word,
}

/// <summary>
/// A bidirectional token/index map with an <c>&lt;unk&gt;</c> token (index 0) for anything unseen or
/// below the frequency cut-off, optional extra special tokens, and encode/decode.
/// </summary>
/// <remarks>
/// Introduced in chapter 04 (RNN: characters of names, words of Moby Dick) and used again in chapter 05
/// (word embeddings). Index order: <c>&lt;unk&gt;</c>, the specials, then tokens by descending frequency
/// (ties in ordinal order), so the same text always yields the same vocabulary.
/// </remarks>
public sealed class Vocabulary
{
    /// <summary>The unknown token, always index 0.</summary>
    public const string Unknown = "<unk>";

    private readonly List<string> _tokens;
    private readonly Dictionary<string, int> _index;

    private Vocabulary(TokenKind kind, List<string> tokens, IReadOnlyDictionary<string, int> frequencies, int specialCount)
    {
        Kind = kind;
        _tokens = tokens;
        _index = tokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        Frequencies = frequencies;
        SpecialCount = specialCount;
    }

    /// <summary>Characters or words.</summary>
    public TokenKind Kind { get; }

    /// <summary>Number of tokens, including <c>&lt;unk&gt;</c> and the specials.</summary>
    public int Count => _tokens.Count;

    /// <summary>Tokens by index.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>How often each token occurred in the text the vocabulary was built from (all tokens, also those cut off).</summary>
    public IReadOnlyDictionary<string, int> Frequencies { get; }

    /// <summary>Number of special tokens, <c>&lt;unk&gt;</c> included (they occupy indices 0 .. SpecialCount-1).</summary>
    public int SpecialCount { get; }

    /// <summary>Index of <c>&lt;unk&gt;</c> (0).</summary>
    public int UnknownIndex => 0;

    /// <summary>Index of a token, or <see cref="UnknownIndex"/> when it is not in the vocabulary.</summary>
    /// <param name="token">The token.</param>
    public int this[string token] => _index.TryGetValue(token, out var i) ? i : UnknownIndex;

    /// <summary>Whether the vocabulary holds <paramref name="token"/>.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Contains(string token) => _index.ContainsKey(token);

    /// <summary>Builds a character vocabulary from texts.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="minFrequency">Characters seen fewer times map to <c>&lt;unk&gt;</c>.</param>
    /// <param name="specials">Extra special tokens after <c>&lt;unk&gt;</c> (e.g. <c>"."</c> as an end-of-name marker, or <c>&lt;pad&gt;</c>).</param>
    /// <returns>The vocabulary.</returns>
    public static Vocabulary BuildCharacters(IEnumerable<string> texts, int minFrequency = 1, IEnumerable<string>? specials = null) =>
        Build(TokenKind.Character, texts.SelectMany(t => t.Select(c => c.ToString())), minFrequency, null, specials);

    /// <summary>Builds a word vocabulary from tokens (see <see cref="WordTokenizer.Tokenize"/>).</summary>
    /// <param name="tokens">The tokens.</param>
    /// <param name="minFrequency">Words seen fewer times map to <c>&lt;unk&gt;</c>.</param>
    /// <param name="maxSize">Keep at most this many tokens in total (most frequent first), specials included.</param>
    /// <param name="specials">Extra special tokens after <c>&lt;unk&gt;</c> (e.g. <c>&lt;pad&gt;</c>, <c>&lt;eos&gt;</c>).</param>
    /// <returns>The vocabulary.</returns>
    public static Vocabulary BuildWords(IEnumerable<string> tokens, int minFrequency = 1, int? maxSize = null, IEnumerable<string>? specials = null) =>
        Build(TokenKind.Word, tokens, minFrequency, maxSize, specials);

    private static Vocabulary Build(TokenKind kind, IEnumerable<string> tokens, int minFrequency, int? maxSize, IEnumerable<string>? specials)
    {
        if (minFrequency < 1) throw new ArgumentOutOfRangeException(nameof(minFrequency), "must be at least 1");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in tokens) counts[t] = counts.TryGetValue(t, out var n) ? n + 1 : 1;
        var list = new List<string> { Unknown };
        foreach (var s in specials ?? []) if (!list.Contains(s)) list.Add(s);
        var specialCount = list.Count;
        var ordered = counts
            .Where(p => p.Value >= minFrequency && !list.Contains(p.Key))
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key);
        if (maxSize is { } max) ordered = ordered.Take(Math.Max(0, max - specialCount));
        list.AddRange(ordered);
        return new Vocabulary(kind, list, counts, specialCount);
    }

    /// <summary>Encodes tokens to indices (unknown tokens to <c>&lt;unk&gt;</c>).</summary>
    /// <param name="tokens">The tokens.</param>
    /// <returns>The indices.</returns>
    public int[] Encode(IEnumerable<string> tokens) => tokens.Select(t => this[t]).ToArray();

    /// <summary>Tokenizes a text the way this vocabulary was built (characters, or <see cref="WordTokenizer"/> words) and encodes it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The indices.</returns>
    public int[] EncodeText(string text) =>
        Kind == TokenKind.Character ? text.Select(c => this[c.ToString()]).ToArray() : Encode(WordTokenizer.Tokenize(text));

    /// <summary>The tokens for indices.</summary>
    /// <param name="indices">The indices.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the vocabulary.</exception>
    public string[] DecodeTokens(IEnumerable<int> indices) =>
        indices.Select(i => i >= 0 && i < _tokens.Count ? _tokens[i] : throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} is outside the vocabulary of {_tokens.Count}")).ToArray();

    /// <summary>Decodes indices to text: characters concatenated, words joined with spaces.</summary>
    /// <param name="indices">The indices.</param>
    /// <param name="skipSpecials">Leave out <c>&lt;unk&gt;</c> and the other specials.</param>
    /// <returns>The text.</returns>
    public string Decode(IEnumerable<int> indices, bool skipSpecials = false)
    {
        var tokens = DecodeTokens(skipSpecials ? indices.Where(i => i >= SpecialCount) : indices);
        return string.Join(Kind == TokenKind.Character ? "" : " ", tokens);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} vocabulary of {Count} tokens ({SpecialCount} special)";
}
