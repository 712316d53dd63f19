using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class SkipGramTests
{
    [Fact]
    public void Scores_each_candidate_by_the_dot_product_of_center_and_context_vectors()
    {
        // Given a skip-gram model whose context vectors are set to known values
        manual_seed(0);
        using var model = new SkipGram(new SkipGramConfig(VocabSize: 7, Dim: 4));
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        using (no_grad()) p["_contexts.weight"].normal_();
        using var x = tensor(new long[] { 1, 2, 3, 4, 5, 6, 0, 1 }, [2, 4]);
        // When it scores centers 1 and 5 against three candidates each
        using var logits = model.call(x);
        // Then logit [b, c] = center(x[b, 0]) · context(x[b, 1 + c])
        Assert.Equal([2L, 3L], logits.shape);
        var expected = (p["_centers.weight"][5] * p["_contexts.weight"][1]).sum().item<float>();
        Assert.Equal(expected, logits[1, 2].item<float>(), 5);
    }

    [Fact]
    public void Noise_distribution_is_unigram_to_the_three_quarters_without_specials()
    {
        // Given a text where token 2 occurs 16 times, token 3 once, and <unk> often
        var tokens = Enumerable.Repeat(2, 16).Append(3).Concat(Enumerable.Repeat(0, 10)).ToArray();
        // When the noise distribution is built
        using var noise = SkipGram.NoiseDistribution(tokens, vocabSize: 4);
        // Then <unk> and the unseen token get 0, and 2 is 16^0.75 = 8 times as likely as 3
        var q = noise.data<float>().ToArray();
        Assert.Equal(0f, q[0]);
        Assert.Equal(0f, q[1]);
        Assert.Equal(8.0, q[2] / q[3], 4);
        Assert.Equal(1.0, q.Sum(), 5);
    }

    [Fact]
    public void Negative_sampling_puts_words_that_share_contexts_close_together()
    {
        // Given a text made of two topics: "cat"/"dog" appear beside pet words, "car"/"bus" beside road words
        var rng = new Random(0);
        string[] pets = ["cat", "dog"], roads = ["car", "bus"];
        string[] petWords = ["fur", "paw", "purr", "bark"], roadWords = ["wheel", "road", "engine", "tyre"];
        var words = new List<string>();
        for (var s = 0; s < 600; s++)
        {
            var pet = s % 2 == 0;
            var (topic, ctx) = pet ? (pets, petWords) : (roads, roadWords);
            words.Add(ctx[rng.Next(4)]);
            words.Add(topic[rng.Next(2)]);
            words.Add(ctx[rng.Next(4)]);
        }
        var vocab = Vocabulary.BuildWords(words);
        var ids = vocab.Encode(words);
        var (centers, contexts) = Sequences.SkipGramPairs(ids, window: 1);
        manual_seed(0);
        using var model = new SkipGram(new SkipGramConfig(vocab.Count, Dim: 16));
        using var noise = SkipGram.NoiseDistribution(ids, vocab.Count);
        var options = new TrainerOptions
        {
            Epochs = 15, LearningRate = 0.01, Optimizer = Optimizers.Adam(), ShowProgress = false, Device = CPU,
            Step = SkipGram.NegativeSamplingStep(noise, negatives: 3, generator: new Generator(0)),
        };
        // When it trains with negative sampling
        var history = new Trainer(options).Fit(model, new DataLoader(centers, contexts, 64, shuffle: true));
        // Then the loss falls, and cat is closer to dog than to car or bus (and car to bus than to cat)
        Assert.True(history.Epochs[^1].Values["train_loss"] < 0.8 * history.Epochs[0].Values["train_loss"]);
        var e = model.Embeddings;
        Assert.True(Similarity.Cosine(e, vocab["cat"], vocab["dog"]) > Similarity.Cosine(e, vocab["cat"], vocab["car"]));
        Assert.True(Similarity.Cosine(e, vocab["car"], vocab["bus"]) > Similarity.Cosine(e, vocab["car"], vocab["dog"]));
        Assert.Equal(vocab["dog"], Similarity.Nearest(e, vocab["cat"], k: 1, include: i => !petWords.Contains(vocab.Tokens[i]) && !roadWords.Contains(vocab.Tokens[i]))[0].Index);
    }

    [Fact]
    public void Nearest_orders_rows_by_cosine_and_skips_the_query_and_excluded_rows()
    {
        // Given four 2-D vectors at 0°, 10°, 90° and 180°, scaled differently
        using var e = tensor(new float[,] { { 1, 0 }, { 5, 0.8816f }, { 0, 3 }, { -2, 0 } });
        // When the neighbours of row 0 are asked for, with and without row 1
        var all = Similarity.Nearest(e, 0, k: 3);
        var filtered = Similarity.Nearest(e, 0, k: 1, include: i => i != 1);
        // Then scale does not matter: 1 (cos 10°), 2 (0), 3 (-1); without row 1 the nearest is row 2
        Assert.Equal([1, 2, 3], all.Select(n => n.Index));
        Assert.Equal(Math.Cos(Math.PI / 18), all[0].Cosine, 3);
        Assert.Equal(-1, all[2].Cosine, 6);
        Assert.Equal(2, filtered[0].Index);
    }
}
