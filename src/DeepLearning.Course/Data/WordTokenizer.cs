using System.Text.RegularExpressions;

namespace DeepLearning.Course.Data;

/// <summary>Splits text into lower-cased words and punctuation marks.</summary>
/// <remarks>Introduced in chapter 05 (embeddings), which trains word vectors on the words it splits from Moby Dick.</remarks>
public static partial class WordTokenizer
{
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    /// <summary>
    /// Tokenizes <paramref name="text"/>: runs of letters/digits (keeping inner apostrophes, as in <c>whale's</c>)
    /// are words; every other non-space character is a token of its own.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="lowercase">Lower-case the words (invariant culture).</param>
    /// <param name="keepPunctuation">Keep punctuation tokens.</param>
    /// <returns>The tokens in order.</returns>
    public static IReadOnlyList<string> Tokenize(string text, bool lowercase = true, bool keepPunctuation = true)
    {
        var tokens = new List<string>();
        foreach (Match m in TokenPattern().Matches(text))
        {
            var token = m.Value;
            var isWord = char.IsLetterOrDigit(token[0]);
            if (!isWord && !keepPunctuation) continue;
            tokens.Add(lowercase ? token.ToLowerInvariant() : token);
        }
        return tokens;
    }
}
