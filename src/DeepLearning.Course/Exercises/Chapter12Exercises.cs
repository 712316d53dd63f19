using System.Globalization;
using DeepLearning.Course.Models;
using DeepLearning.Course.Text;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 12's exercises (language): one byte-pair-encoding merge written by hand, the number of merges
/// behind GPT-2's vocabulary, a spam filter's decision threshold chosen for precision (and why), and a bag-of-embeddings
/// classifier that pools with a maximum instead of a mean.
/// </summary>
/// <remarks>Introduced in chapter 12 (language), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter12Exercises
{
    /// <summary>Exercise 12.1: merge every occurrence of an adjacent pair of symbols, left to right, without overlaps.</summary>
    /// <param name="merge">The learner's function: (symbols, left, right) → merged symbols.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict BpeMerge(Func<string[], string, string, string[]> merge) =>
        Exercise.Check("12.1", "one byte-pair-encoding merge", () =>
        {
            Expect.That(merge is not null, "pass your function: Chapter12Exercises.BpeMerge(Merge).");
            var cases = new (string[] Symbols, string Left, string Right, string Name)[]
            {
                (["l", "o", "w", "e", "r</w>"], "l", "o", "'l o w e r</w>' merging l + o"),
                (["t", "h", "e", " ", "t", "h", "e", "n</w>"], "t", "h", "a pair that occurs twice, merging t + h"),
                (["a", "a", "a", "a", "a</w>"], "a", "a", "'a a a a a</w>' merging a + a (overlapping occurrences)"),
                (["n", "e", "w</w>"], "e", "s", "a pair that does not occur (e + s in 'n e w</w>')"),
                (["lo", "w", "est</w>"], "w", "est</w>", "a pair at the end of the word (w + est</w>)"),
            };
            foreach (var (symbols, left, right, name) in cases)
            {
                var expected = BytePairEncoding.Apply(symbols, left, right);
                var got = merge!((string[])symbols.Clone(), left, right);
                Expect.That(got is not null, $"for {name} your function returned null.");
                string Show(IEnumerable<string> s) => "[" + string.Join(", ", s) + "]";
                var firstOnly = FirstOnly(symbols, left, right);
                if (!firstOnly.SequenceEqual(expected) && got!.SequenceEqual(firstOnly))
                    throw new NotYetException($"for {name} you merged only the first occurrence: {Show(got!)}. Keep scanning after a merge: every occurrence becomes one symbol, expected {Show(expected)}.");
                Expect.That(got!.SequenceEqual(expected), $"for {name}: got {Show(got!)}, expected {Show(expected)}. Scan left to right; where symbols[i] == left and symbols[i + 1] == right, emit left + right and skip both.");
            }
            return "your merge joins every occurrence, left to right, leaves words without the pair alone, and handles overlaps (a a a → aa a) as BPE does.";
        });

    private static string[] FirstOnly(string[] symbols, string left, string right)
    {
        for (var i = 0; i + 1 < symbols.Length; i++)
            if (symbols[i] == left && symbols[i + 1] == right)
                return [.. symbols[..i], left + right, .. symbols[(i + 2)..]];
        return symbols;
    }

    /// <summary>Exercise 12.2: predict how many merges GPT-2's <c>vocab.bpe</c> holds, knowing its vocabulary has 50,257 tokens.</summary>
    /// <param name="predicted">The learner's prediction (null: not answered yet).</param>
    /// <param name="tokenizer">The chapter's <see cref="Gpt2Tokenizer"/>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict Gpt2Merges(long? predicted, Gpt2Tokenizer tokenizer) =>
        Exercise.Check("12.2", "predict the number of GPT-2 merges", () =>
        {
            Expect.That(tokenizer is not null, "pass the chapter's tokenizer: Chapter12Exercises.Gpt2Merges(predictedMerges, gpt2).");
            var answer = Expect.Answered(predicted, "predictedMerges");
            var truth = (long)tokenizer!.Merges.Count;
            var vocab = (long)tokenizer.VocabularySize;
            Mistakes.If(answer, vocab, truth, $"{answer:N0} is the whole vocabulary: not every token comes from a merge. Which tokens are there before the first merge?");
            Mistakes.If(answer, vocab - 256, truth, $"{answer:N0} leaves out the 256 byte tokens, but one vocabulary entry is neither a byte nor a merge: the special token <|endoftext|>.");
            Mistakes.If(answer, vocab - 1, truth, $"{answer:N0} leaves out <|endoftext|>, but the merges start from 256 tokens that need no merge: one per byte.");
            Expect.Equal(answer, truth, "the merges in vocab.bpe");
            return $"{vocab:N0} tokens = 256 bytes + {truth:N0} merges (each adds one token) + 1 special token <|endoftext|>.";
        });

    /// <summary>The precision exercise 12.3 asks for on the test messages.</summary>
    public const double PrecisionTarget = 0.99;

    /// <summary>The recall exercise 12.3 must keep while reaching <see cref="PrecisionTarget"/>.</summary>
    public const double RecallFloor = 0.5;

    /// <summary>
    /// Exercise 12.3: a decision threshold for the spam filter that reaches <see cref="PrecisionTarget"/> precision on the
    /// test messages while still catching at least <see cref="RecallFloor"/> of the spam, and why precision and recall trade.
    /// The counts come from <see cref="BinaryScores.Confusion"/>.
    /// </summary>
    /// <param name="threshold">The learner's threshold on the spam probability (null: not answered yet).</param>
    /// <param name="explanation">Why raising the threshold raises precision and lowers recall.</param>
    /// <param name="probabilities">The chapter's spam probabilities of the test messages <c>(N)</c>.</param>
    /// <param name="isSpam">1 for each spam test message, 0 for ham <c>(N)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict SpamThreshold(double? threshold, string explanation, Tensor probabilities, Tensor isSpam) =>
        Exercise.Check("12.3", "a spam threshold for precision", () =>
        {
            Expect.That(probabilities is not null && isSpam is not null, "pass the chapter's test probabilities and labels: Chapter12Exercises.SpamThreshold(threshold, thresholdExplanation, lrProbabilities, testIsSpam).");
            var t = Expect.Answered(threshold, "threshold");
            Expect.That(t is > 0 and < 1, $"threshold = {t}: a probability threshold lies strictly between 0 and 1.");
            var s = BinaryScores.Confusion(probabilities!, isSpam!, t);
            string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
            var spam = s.TruePositives + s.FalseNegatives;
            Expect.That(s.TruePositives + s.FalsePositives > 0,
                $"at {t} the filter calls no message spam at all: no ham is lost, but all {spam} spam messages get through. Lower the threshold.");
            Expect.That(s.Precision >= PrecisionTarget,
                $"at {t} the filter calls {s.TruePositives + s.FalsePositives} messages spam, {s.FalsePositives} of them ham: precision {F(s.Precision)}, below {PrecisionTarget}. Raise the threshold so that fewer, surer messages are called spam.");
            Expect.That(s.Recall >= RecallFloor,
                $"at {t} precision is {F(s.Precision)} but the filter catches only {s.TruePositives} of {spam} spam messages (recall {F(s.Recall)} < {RecallFloor}). Lower the threshold a little.");
            Expect.Written(explanation, "thresholdExplanation", 8);
            return $"threshold {t}: precision {F(s.Precision)} ({s.FalsePositives} ham lost), recall {F(s.Recall)} ({s.FalseNegatives} spam let through); compare your explanation with the solution.";
        });

    /// <summary>
    /// Exercise 12.4: a bag-of-embeddings classifier that pools with an element-wise maximum over the real tokens
    /// (padding left out) instead of <see cref="BagOfEmbeddings"/>' mean. The check builds the learner's model and tests
    /// its output shape, its parameters (<c>V · D + D + 1</c>), that padding and token order do not matter, and that a
    /// repeated token changes nothing (a maximum, unlike a mean).
    /// </summary>
    /// <param name="makeModel">Builds the learner's model for <c>(vocabSize, embeddingDim, padToken)</c>; its forward maps int64 [B, L] to logits [B].</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict MaxPoolBag(Func<int, int, int, nn.Module<Tensor, Tensor>> makeModel) =>
        Exercise.Check("12.4", "a bag of embeddings with max pooling", () =>
        {
            Expect.That(makeModel is not null, "pass a function that builds your model: Chapter12Exercises.MaxPoolBag((v, d, pad) => new MaxPoolBag(v, d, pad)).");
            using var scope = NewDisposeScope();
            const int V = 20, D = 8, Pad = 1;
            var model = Mistakes.Seeded(12, () => makeModel!(V, D, Pad));
            Expect.That(model is not null, "your function returned null instead of a model.");
            Expect.ParameterCount(model!, V * D + D + 1, $"MaxPoolBag({V}, {D}, pad {Pad}): an embedding ({V} x {D}) and a linear head ({D} → 1)");
            model!.eval();
            using (no_grad())
            {
                var docs = tensor(new long[] { 5, 7, 9, Pad, Pad, 3, 4, Pad, Pad, Pad }, [2, 5]);
                var y = model.call(docs);
                Expect.Shape(y, [2], "your model's output for 2 documents (one logit each)");
                Expect.That(y.isfinite().all().item<bool>(), "your model returns NaN or infinity: leave the padding out of the maximum by filling its positions with a very negative number, not -inf times 0.");
                var morePadding = model.call(tensor(new long[] { 5, 7, 9, Pad, Pad, Pad, Pad, Pad }, [1, 8]));
                Expect.Close(morePadding[0], y[0], "the logit of document [5, 7, 9] with more padding");
                var reordered = model.call(tensor(new long[] { 9, 5, 7 }, [1, 3]));
                Expect.Close(reordered[0], y[0], "the logit of [9, 5, 7], the same bag of tokens as [5, 7, 9]");
                var repeated = model.call(tensor(new long[] { 5, 5, 5, 7, 9 }, [1, 5]));
                Expect.That(repeated[0].allclose(y[0], rtol: 1e-4, atol: 1e-5),
                    "repeating token 5 changed the logit of [5, 7, 9]: a maximum over the tokens' vectors does not change when a token repeats, a mean does. Take amax over the token dimension.");
                var single = model.call(tensor(new long[] { 3, Pad, Pad }, [1, 3]));
                var withPadVector = model.call(tensor(new long[] { 3, 3 }, [1, 2]));
                Expect.Close(single[0], withPadVector[0], "the logit of [3] padded to three tokens (padding must be left out of the maximum)");
            }
            return "your model maxes over the real tokens' vectors (padding left out), so the logit ignores order, padding and repeats, with V · D + D + 1 parameters.";
        });
}
