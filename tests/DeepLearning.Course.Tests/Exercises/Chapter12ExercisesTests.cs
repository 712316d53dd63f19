using DeepLearning.Course.Exercises;
using DeepLearning.Course.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 12's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter12ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void A_merge_must_join_every_occurrence()
    {
        // Given the library's merge and a merge that stops after the first occurrence
        static string[] FirstOnly(string[] s, string l, string r)
        {
            for (var i = 0; i + 1 < s.Length; i++)
                if (s[i] == l && s[i + 1] == r) return [.. s[..i], l + r, .. s[(i + 2)..]];
            return s;
        }
        // Then
        Assert.True(Chapter12Exercises.BpeMerge(BytePairEncoding.Apply).Solved);
        Assert.Contains(Starter, Chapter12Exercises.BpeMerge((_, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("merged only the first occurrence", Chapter12Exercises.BpeMerge(FirstOnly).Message);
        Assert.Contains("expected [lo, w, e, r</w>]", Chapter12Exercises.BpeMerge((s, _, _) => s).Message);
    }

    [Fact]
    public void The_number_of_GPT2_merges_is_read_from_the_tokenizer()
    {
        // Given a tiny tokenizer shaped like GPT-2's: 256 bytes, 3 merges, one special token
        var bytes = Gpt2Tokenizer.ByteToCharacter.Select((c, i) => (Token: c.ToString(), Id: i));
        var encoder = bytes.Concat([("th", 256), ("the", 257), ("Ġthe", 258), ("<|endoftext|>", 259)]).ToDictionary(p => p.Item1, p => p.Item2);
        var tokenizer = new Gpt2Tokenizer(encoder, [("t", "h"), ("th", "e"), ("Ġ", "the")]);
        // Then
        Assert.True(Chapter12Exercises.Gpt2Merges(3, tokenizer).Solved);
        Assert.Contains("predictedMerges is still null", Chapter12Exercises.Gpt2Merges(null, tokenizer).Message);
        Assert.Contains("is the whole vocabulary", Chapter12Exercises.Gpt2Merges(260, tokenizer).Message);
        Assert.Contains("leaves out <|endoftext|>", Chapter12Exercises.Gpt2Merges(259, tokenizer).Message);
    }

    [Fact]
    public void A_precise_threshold_needs_high_precision_enough_recall_and_an_explanation()
    {
        // Given 10 spam and 10 ham messages whose probabilities overlap in the middle
        using var p = tensor(new[] { 0.99, 0.98, 0.97, 0.95, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.85, 0.65, 0.5, 0.45, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01 });
        using var spam = tensor(Enumerable.Repeat(1f, 10).Concat(Enumerable.Repeat(0f, 10)).ToArray());
        const string why = "a higher threshold calls fewer messages spam, only the surest ones, so fewer ham are lost but more spam gets through";
        // Then 0.875 keeps 5 of 10 spam with no ham lost; 0.5 loses ham; 0.995 catches nothing
        Assert.True(Chapter12Exercises.SpamThreshold(0.875, why, p, spam).Solved);
        Assert.Contains("threshold is still null", Chapter12Exercises.SpamThreshold(null, why, p, spam).Message);
        Assert.Contains("Raise the threshold", Chapter12Exercises.SpamThreshold(0.5, why, p, spam).Message);
        Assert.Contains("Lower the threshold", Chapter12Exercises.SpamThreshold(0.995, why, p, spam).Message);
        Assert.Contains("thresholdExplanation is empty", Chapter12Exercises.SpamThreshold(0.875, "", p, spam).Message);
    }

    private sealed class Bag : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding _embedding;
        private readonly Linear _head;
        private readonly int _pad;
        private readonly bool _max;

        public Bag(int v, int d, int pad, bool max) : base("Bag")
        {
            _embedding = nn.Embedding(v, d, padding_idx: pad);
            _head = nn.Linear(d, 1);
            (_pad, _max) = (pad, max);
            RegisterComponents();
        }

        public override Tensor forward(Tensor tokens)
        {
            var real = tokens.ne(_pad).unsqueeze(-1);                                         // (B, L, 1)
            var x = _embedding.call(tokens);                                                  // (B, L, D)
            var pooled = _max
                ? x.masked_fill(real.logical_not(), -1e9).amax([1])
                : (x * real).sum(1) / real.sum(1);
            return _head.call(pooled).squeeze(-1);
        }
    }

    [Fact]
    public void A_max_pooled_bag_ignores_order_padding_and_repeats()
    {
        // Then max pooling is right; mean pooling is caught by the repeated token
        Assert.True(Chapter12Exercises.MaxPoolBag((v, d, pad) => new Bag(v, d, pad, max: true)).Solved);
        Assert.Contains(Starter, Chapter12Exercises.MaxPoolBag((_, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("a mean does", Chapter12Exercises.MaxPoolBag((v, d, pad) => new Bag(v, d, pad, max: false)).Message);
    }
}
