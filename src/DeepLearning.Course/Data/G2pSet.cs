using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>
/// CMUdict words and pronunciations as tensors for a sequence-to-sequence model: letters in, phonemes out,
/// each padded to a fixed length, with the letter and phoneme vocabularies.
/// </summary>
/// <param name="Entries">The words (one pronunciation each, e.g. <see cref="CmuDict.ForG2p"/>), no longer than the lengths below.</param>
/// <param name="Letters">Letter vocabulary: <c>&lt;unk&gt;</c>, <c>&lt;pad&gt;</c>, then the letters.</param>
/// <param name="Phonemes">Phoneme vocabulary: <c>&lt;unk&gt;</c>, <c>&lt;pad&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, then the phonemes.</param>
/// <param name="SourceLength">Letters per padded word.</param>
/// <param name="TargetLength">Phonemes per padded pronunciation, the end token included.</param>
/// <remarks>Introduced in chapter 12 (language), for grapheme-to-phoneme conversion with <c>AttentionSeq2Seq</c>.</remarks>
public sealed record G2pSet(IReadOnlyList<CmuDictEntry> Entries, Vocabulary Letters, Vocabulary Phonemes, int SourceLength, int TargetLength)
{
    /// <summary>The padding token (same index in both vocabularies).</summary>
    public int Pad => Letters["<pad>"];

    /// <summary>The start token of the decoder.</summary>
    public int Start => Phonemes["<s>"];

    /// <summary>The end token of a pronunciation.</summary>
    public int End => Phonemes["</s>"];

    /// <summary>Builds the set from entries, keeping words of at most <paramref name="maxLetters"/> letters and <paramref name="maxPhonemes"/> phonemes.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="maxLetters">Longest word kept.</param>
    /// <param name="maxPhonemes">Longest pronunciation kept.</param>
    /// <returns>The set.</returns>
    public static G2pSet Build(IEnumerable<CmuDictEntry> entries, int maxLetters = 16, int maxPhonemes = 16)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var kept = entries.Where(e => e.Word.Length <= maxLetters && e.Phonemes.Count <= maxPhonemes).ToArray();
        var letters = Vocabulary.BuildCharacters(kept.Select(e => e.Word), specials: ["<pad>"]);
        var phonemes = Vocabulary.BuildWords(kept.SelectMany(e => e.Phonemes), specials: ["<pad>", "<s>", "</s>"]);
        return new G2pSet(kept, letters, phonemes, maxLetters, maxPhonemes + 1);
    }

    /// <summary>Padded letters of the chosen words: int64 <c>(N, SourceLength)</c>.</summary>
    /// <param name="indices">Which entries.</param>
    /// <returns>The sources.</returns>
    public Tensor Sources(IReadOnlyList<int> indices) => Padded(indices.Select(i => Letters.EncodeText(Entries[i].Word)), SourceLength);

    /// <summary>
    /// The decoder input (start token, then the phonemes) and the target (the phonemes, then the end token), both
    /// padded: int64 <c>(N, TargetLength)</c> each.
    /// </summary>
    /// <param name="indices">Which entries.</param>
    /// <param name="phonemeOffset">Added to every phoneme-side id, padding included (a model with one vocabulary for letters and phonemes, such as <c>Seq2SeqTransformer</c>, puts the phonemes after the <see cref="Letters"/>).</param>
    /// <returns>Decoder input and target.</returns>
    public (Tensor DecoderInput, Tensor Target) Targets(IReadOnlyList<int> indices, int phonemeOffset = 0)
    {
        var ids = indices.Select(i => Phonemes.Encode(Entries[i].Phonemes)).ToArray();
        var input = Padded(ids.Select(p => new[] { Start }.Concat(p).ToArray()), TargetLength);
        var target = Padded(ids.Select(p => p.Append(End).ToArray()), TargetLength);
        if (phonemeOffset != 0)
        {
            input.add_(phonemeOffset);
            target.add_(phonemeOffset);
        }
        return (input, target);
    }

    /// <summary>Sources and decoder inputs side by side, the input <c>AttentionSeq2Seq.forward</c> (and <c>Seq2SeqTransformer.forward</c>) takes, and the targets.</summary>
    /// <param name="indices">Which entries.</param>
    /// <param name="phonemeOffset">Added to every phoneme-side id (see <see cref="Targets"/>).</param>
    /// <returns>int64 <c>(N, SourceLength + TargetLength)</c> and <c>(N, TargetLength)</c>.</returns>
    public (Tensor Packed, Tensor Target) Packed(IReadOnlyList<int> indices, int phonemeOffset = 0)
    {
        using var scope = NewDisposeScope();
        var (input, target) = Targets(indices, phonemeOffset);
        return (cat([Sources(indices), input], 1).MoveToOuterDisposeScope(), target.MoveToOuterDisposeScope());
    }

    /// <summary>Phoneme strings of decoded ids.</summary>
    /// <param name="ids">Phoneme ids (no start or end token).</param>
    /// <returns>The phonemes.</returns>
    public string[] PhonemesOf(IEnumerable<int> ids) => Phonemes.DecodeTokens(ids);

    private Tensor Padded(IEnumerable<int[]> sequences, int length)
    {
        var (padded, lengths) = Sequences.Pad(sequences.ToArray(), Pad, length);
        lengths.Dispose();
        return padded;
    }
}
