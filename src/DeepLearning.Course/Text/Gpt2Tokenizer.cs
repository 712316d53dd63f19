using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLearning.Course.Data;

namespace DeepLearning.Course.Text;

/// <summary>
/// GPT-2's byte-level byte-pair encoding (Radford et al. 2019), written from its published files: the
/// vocabulary <c>encoder.json</c> (50,257 token strings → ids) and the merges <c>vocab.bpe</c> (50,000 pairs in
/// rank order). Text is split into pieces by GPT-2's regular expression (<see cref="PreTokenizerPattern"/>), each
/// piece's UTF-8 bytes are written as printable characters (<see cref="ByteToCharacter"/>), and the merges are
/// replayed on them, lowest rank first — the algorithm of <see cref="BytePairEncoding"/>, on bytes.
/// </summary>
/// <remarks>
/// Introduced in chapter 12 (language), where it is shown to give token for token the ids of
/// <c>Microsoft.ML.Tokenizers</c>' GPT-2 tokenizer on Moby Dick and State of the Union addresses, and to decode
/// every text back exactly. Because it works on bytes, no text is ever out of vocabulary. The special token
/// <c>&lt;|endoftext|&gt;</c> (id 50256) is in the vocabulary but is never produced from text.
/// </remarks>
public sealed partial class Gpt2Tokenizer
{
    /// <summary>GPT-2's pre-tokenizer: contractions, optional space + letters, optional space + digits, optional space + other symbols, whitespace.</summary>
    public const string PreTokenizerPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    [GeneratedRegex(PreTokenizerPattern, RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenizer();

    private static readonly char[] ByteChars = BuildByteChars();
    private static readonly Dictionary<char, byte> CharBytes = ByteChars.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    private readonly Dictionary<string, int> _encoder;
    private readonly string[] _decoder;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the tokenizer from a vocabulary and a merge list.</summary>
    /// <param name="encoder">Token string (bytes written with <see cref="ByteToCharacter"/>) → id.</param>
    /// <param name="merges">The merges in rank order.</param>
    public Gpt2Tokenizer(IReadOnlyDictionary<string, int> encoder, IReadOnlyList<(string Left, string Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(merges);
        _encoder = new Dictionary<string, int>(encoder, StringComparer.Ordinal);
        _decoder = new string[_encoder.Values.Max() + 1];
        foreach (var (token, id) in _encoder) _decoder[id] = token;
        _ranks = new Dictionary<(string, string), int>(merges.Count);
        for (var i = 0; i < merges.Count; i++) _ranks.TryAdd((merges[i].Left, merges[i].Right), i);
        Merges = merges;
    }

    /// <summary>Loads GPT-2's published <c>encoder.json</c> and <c>vocab.bpe</c> (see <see cref="DatasetCatalog.Gpt2Bpe"/>).</summary>
    /// <param name="path">Folder holding both files (optional; else the usual dataset search and download).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The tokenizer.</returns>
    public static Gpt2Tokenizer Load(string? path = null, DatasetLocator? locator = null)
    {
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Gpt2Bpe, path);
        return FromFiles(location.PathOf("encoder.json"), location.PathOf("vocab.bpe"));
    }

    /// <summary>Reads a vocabulary JSON (<c>{"token": id, ...}</c>) and a merges file (<c>#version</c> line, then <c>left right</c> per line).</summary>
    /// <param name="encoderJson">Path of <c>encoder.json</c>.</param>
    /// <param name="vocabBpe">Path of <c>vocab.bpe</c>.</param>
    /// <returns>The tokenizer.</returns>
    public static Gpt2Tokenizer FromFiles(string encoderJson, string vocabBpe)
    {
        var encoder = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(encoderJson, Encoding.UTF8))
            ?? throw new InvalidDataException($"{encoderJson} holds no vocabulary");
        var merges = File.ReadLines(vocabBpe, Encoding.UTF8)
            .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            .Select(line =>
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0) throw new InvalidDataException($"{vocabBpe}: a merge line must be 'left right', got '{line}'");
                return (line[..space], line[(space + 1)..]);
            })
            .ToArray();
        return new Gpt2Tokenizer(encoder, merges);
    }

    /// <summary>Number of token ids (50,257 for GPT-2).</summary>
    public int VocabularySize => _decoder.Length;

    /// <summary>The merges in rank order (50,000 for GPT-2).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>
    /// The printable character GPT-2 writes for each byte: printable Latin-1 bytes stand for themselves, the
    /// other 68 (control characters, space, …) are shifted to U+0100 and up, so a space becomes <c>Ġ</c>.
    /// </summary>
    public static IReadOnlyList<char> ByteToCharacter => ByteChars;

    /// <summary>Splits text into GPT-2's pre-tokens (the pieces BPE works on separately).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pieces; concatenated they give the text back.</returns>
    public static IReadOnlyList<string> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PreTokenizer().Matches(text).Select(m => m.Value).ToArray();
    }

    /// <summary>Encodes text to token ids.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids.</returns>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3);
        foreach (Match m in PreTokenizer().Matches(text)) ids.AddRange(EncodePiece(m.Value));
        return ids.ToArray();
    }

    /// <summary>The token strings of a text (bytes shown with <see cref="ByteToCharacter"/>: <c>Ġ</c> is a space).</summary>
    /// <param name="text">The text.</param>
    /// <returns>One string per token.</returns>
    public string[] Tokens(string text) => Encode(text).Select(id => _decoder[id]).ToArray();

    /// <summary>The token string of an id.</summary>
    /// <param name="id">A token id.</param>
    /// <returns>Its string (bytes shown with <see cref="ByteToCharacter"/>).</returns>
    public string TokenOf(int id) => id >= 0 && id < _decoder.Length && _decoder[id] is { } t
        ? t : throw new ArgumentOutOfRangeException(nameof(id), $"id {id} is not in the vocabulary of {_decoder.Length}");

    /// <summary>Decodes ids back to text: token strings → bytes → UTF-8.</summary>
    /// <param name="ids">Token ids.</param>
    /// <returns>The text.</returns>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
            foreach (var c in TokenOf(id))
                bytes.Add(CharBytes.TryGetValue(c, out var b) ? b : throw new InvalidDataException($"token {id} holds '{c}', which stands for no byte"));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>BPE on one pre-token: its bytes as characters, then the merges, lowest rank first.</summary>
    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out var cached)) return cached;
        var bytes = Encoding.UTF8.GetBytes(piece);
        var symbols = new string[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) symbols[i] = ByteChars[bytes[i]].ToString();
        symbols = BytePairEncoding.Replay(symbols, _ranks);
        var ids = symbols.Select(s => _encoder.TryGetValue(s, out var id) ? id
            : throw new InvalidDataException($"the merges produced '{s}', which the vocabulary lacks")).ToArray();
        if (_cache.Count < 200_000) _cache[piece] = ids;
        return ids;
    }

    /// <summary>GPT-2's <c>bytes_to_unicode</c>: printable bytes map to themselves, the rest to 256, 257, … in byte order.</summary>
    private static char[] BuildByteChars()
    {
        var chars = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = printable ? (char)b : (char)next++;
        }
        return chars;
    }

    /// <inheritdoc/>
    public override string ToString() => $"GPT-2 byte-level BPE: {VocabularySize:N0} tokens, {Merges.Count:N0} merges";
}
