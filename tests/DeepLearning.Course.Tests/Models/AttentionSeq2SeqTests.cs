using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class AdditiveAttentionTests
{
    [Fact]
    public void Weights_sum_to_one_over_real_positions_and_are_zero_on_padding()
    {
        // Given random decoder states, encoder outputs, and a mask with padding after 3 and 5 positions
        manual_seed(0);
        using var attention = new AdditiveAttention(queryDim: 4, keyDim: 6, attentionDim: 5);
        using var query = randn(2, 4);
        using var values = randn(2, 5, 6);
        using var mask = tensor(new[] { true, true, true, false, false, true, true, true, true, true }, [2, 5]);
        // When it attends
        var (context, weights) = attention.Attend(query, attention.ProjectKeys(values), values, mask);
        // Then rows sum to 1, padding gets 0, and the context is the weighted sum of the values
        Assert.True(weights.sum(1).allclose(ones(2), atol: 1e-6));
        Assert.Equal(0f, weights[0, 3..].abs().sum().item<float>());
        Assert.True(context.allclose((weights.unsqueeze(-1) * values).sum(1), atol: 1e-6));
    }

    [Fact]
    public void With_all_scores_equal_the_context_is_the_mean_of_the_real_values()
    {
        // Given an attention whose parameters are all zero, so every score is v·tanh(0) = 0
        using var attention = new AdditiveAttention(3, 2, 4);
        using (no_grad()) foreach (var p in attention.parameters()) p.zero_();
        using var values = tensor(new float[] { 1, 2, 3, 4, 100, 100 }, [1, 3, 2]);
        using var mask = tensor(new[] { true, true, false }, [1, 3]);
        // When it attends
        var (context, weights) = attention.Attend(zeros(1, 3), attention.ProjectKeys(values), values, mask);
        // Then the two real positions get 1/2 each and the context is their mean (2, 3)
        Assert.True(weights.allclose(tensor(new float[] { 0.5f, 0.5f, 0 }, [1, 3])));
        Assert.True(context.allclose(tensor(new float[] { 2, 3 }, [1, 2])));
    }
}

public class AttentionSeq2SeqTests
{
    private static AttentionSeq2SeqConfig Config(int sourceLength = 6) =>
        new(SourceVocab: 8, TargetVocab: 9, SourceLength: sourceLength, SourcePad: 1, TargetPad: 1, StartToken: 2, EndToken: 3, EmbeddingDim: 16, HiddenSize: 24, Dropout: 0);

    [Fact]
    public void Teacher_forcing_gives_logits_per_target_step_and_alignments_that_skip_padding()
    {
        // Given a model and two padded sources (lengths 4 and 6) with decoder inputs of 5 steps
        manual_seed(0);
        using var model = new AttentionSeq2Seq(Config());
        using var source = tensor(new long[] { 4, 5, 6, 7, 1, 1, 5, 5, 6, 6, 7, 7 }, [2, 6]);
        using var decoderInput = tensor(new long[] { 2, 4, 5, 6, 7, 2, 8, 8, 4, 5 }, [2, 5]);
        // When it runs forward on the packed input, and for its alignments
        using var logits = model.call(cat([source, decoderInput], 1));
        using var alignment = model.Alignment(source, decoderInput);
        // Then logits are (B, T, V), alignments (B, T, S) with rows summing to 1 and nothing on padding
        Assert.Equal([2L, 5L, 9L], logits.shape);
        Assert.Equal([2L, 5L, 6L], alignment.shape);
        Assert.True(alignment.sum(-1).allclose(ones(2, 5), atol: 1e-5));
        Assert.Equal(0f, alignment[0, .., 4..].abs().sum().item<float>());
    }

    [Fact]
    public void Beam_search_of_width_one_gives_the_greedy_tokens()
    {
        // Given an untrained model (its arg-max choices are arbitrary but deterministic) and random sources
        manual_seed(3);
        using var model = new AttentionSeq2Seq(Config());
        using var source = randint(4, 8, [16, 6], dtype: ScalarType.Int64);
        // When it decodes greedily and with a beam of 1
        using var greedy = model.Greedy(source, maxLength: 7);
        using var beam = model.Beam(source, width: 1, maxLength: 7);
        // Then the sequences (up to the end token) are the same
        Assert.Equal(BeamSearch.ToSequences(greedy, 3), BeamSearch.ToSequences(beam, 3));
    }

    [Fact]
    public void The_loss_falls_when_it_learns_to_reverse_short_strings()
    {
        // Given 64 strings of 3-5 letters over {4..7}, their reversals as targets, and a masked loss
        manual_seed(1);
        var random = new Random(1);
        var sources = new List<int[]>();
        for (var i = 0; i < 64; i++) sources.Add(Enumerable.Range(0, random.Next(3, 6)).Select(_ => random.Next(4, 8)).ToArray());
        long[] Pad(IEnumerable<int> s, int n) => s.Select(v => (long)v).Concat(Enumerable.Repeat(1L, n - s.Count())).ToArray();
        using var src = tensor(sources.SelectMany(s => Pad(s, 5)).ToArray(), [64, 5]);
        using var input = tensor(sources.SelectMany(s => Pad(new[] { 2 }.Concat(s.Reverse()), 6)).ToArray(), [64, 6]);
        using var target = tensor(sources.SelectMany(s => Pad(s.Reverse().Append(3), 6)).ToArray(), [64, 6]);
        using var model = new AttentionSeq2Seq(Config(sourceLength: 5));
        var trainer = new Trainer(new TrainerOptions { Epochs = 200, LearningRate = 0.01, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropyIgnoring(1), ShowProgress = false });
        // When it trains on the full batch
        var history = trainer.Fit(model, [(cat([src, input], 1), target)]);
        // Then the loss falls by more than half and greedy decoding reverses most strings
        Assert.True(history.Last["train_loss"] < 0.5 * history["train_loss"][0], $"loss {history["train_loss"][0]} -> {history.Last["train_loss"]}");
        using var decoded = model.Greedy(src, 6);
        var right = BeamSearch.ToSequences(decoded, 3).Zip(sources).Count(p => p.First.SequenceEqual(p.Second.Reverse()));
        Assert.True(right >= 40, $"{right} of 64 reversed");
    }
}

public class BeamSearchTests
{
    // A toy decoder whose state is the last token: from the start (2) it prefers token 4 (0.6) over 5 (0.4); after 4
    // every continuation is uncertain (end 0.3), after 5 the end is sure (0.9). Greedy takes 4 then ends: 0.6 · 0.3 = 0.18;
    // a beam of 2 keeps 5 and ends: 0.4 · 0.9 = 0.36.
    private static (Tensor, Tensor) Step(Tensor tokens, Tensor state)
    {
        var rows = tokens.data<long>().Select(t => t switch
        {
            2 => new[] { 0.01, 0.01, 0.01, 0.01, 0.56, 0.4 },
            4 => new[] { 0.1, 0.1, 0.1, 0.3, 0.2, 0.2 },
            5 => new[] { 0.02, 0.02, 0.02, 0.9, 0.02, 0.02 },
            _ => new[] { 0.01, 0.01, 0.01, 0.95, 0.01, 0.01 },
        }).SelectMany(r => r).Select(p => (float)p).ToArray();
        return (tensor(rows, [tokens.shape[0], 6]).log(), tokens.to_type(ScalarType.Float32).unsqueeze(1));
    }

    [Fact]
    public void A_wider_beam_finds_a_more_likely_sequence_than_greedy_search()
    {
        // Given one source
        using var initial = zeros(1, 1);
        // When decoded greedily, with a beam of 1 and with a beam of 2
        var (greedy, greedyScore) = BeamSearch.Greedy(Step, initial, startToken: 2, endToken: 3, maxLength: 4);
        var (one, _) = BeamSearch.Search(Step, initial, width: 1, startToken: 2, endToken: 3, maxLength: 4);
        var (two, twoScore) = BeamSearch.Search(Step, initial, width: 2, startToken: 2, endToken: 3, maxLength: 4);
        // Then greedy and beam 1 take 4 then the end (0.56 · 0.3), beam 2 takes 5 then the end (0.4 · 0.9)
        Assert.Equal(new[] { 4 }, BeamSearch.ToSequences(greedy, 3)[0]);
        Assert.Equal(new[] { 4 }, BeamSearch.ToSequences(one, 3)[0]);
        Assert.Equal(new[] { 5 }, BeamSearch.ToSequences(two, 3)[0]);
        Assert.Equal(Math.Log(0.56 * 0.3), greedyScore.item<float>(), 4);
        Assert.Equal(Math.Log(0.4 * 0.9), twoScore.item<float>(), 4);
    }
}

public class Seq2SeqTransformerBeamTests
{
    [Fact]
    public void The_transformers_beam_of_one_gives_its_greedy_translation()
    {
        // Given an untrained encoder-decoder transformer and random sources
        manual_seed(5);
        using var model = new Seq2SeqTransformer(new Seq2SeqConfig(VocabSize: 9, SourceLength: 5, TargetLength: 6, Layers: 1, Heads: 2, EmbeddingDim: 16));
        using var source = randint(3, 9, [8, 5], dtype: ScalarType.Int64);
        // When it translates greedily and with beams of 1 and 3 (start token 1, end token 2)
        using var greedy = model.Translate(source, startToken: 1);
        using var one = model.Beam(source, startToken: 1, endToken: 2, width: 1);
        using var three = model.Beam(source, startToken: 1, endToken: 2, width: 3);
        // Then the beam of 1 agrees with greedy decoding up to the end token, and a beam of 3 returns a sequence per source
        Assert.Equal(BeamSearch.ToSequences(greedy, 2), BeamSearch.ToSequences(one, 2));
        Assert.Equal(8L, three.shape[0]);
    }
}

public class TextClassifierTests
{
    [Fact]
    public void The_embedding_bag_ignores_padding_and_word_order()
    {
        // Given an embedding bag with padding token 1
        manual_seed(0);
        using var model = new BagOfEmbeddings(new BagOfEmbeddingsConfig(VocabSize: 10, PadToken: 1, EmbeddingDim: 4));
        // When it reads a document, the same words reordered, and the same with more padding
        using var a = model.call(tensor(new long[] { 3, 4, 5, 1 }, [1, 4]));
        using var b = model.call(tensor(new long[] { 5, 3, 4, 1, 1, 1 }, [1, 6]));
        // Then one logit per document, the same for all three
        Assert.Equal([1L], a.shape);
        Assert.True(a.allclose(b, atol: 1e-6));
        Assert.Equal(10 * 4 + 4 + 1, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void The_transformer_classifier_gives_one_logit_per_document()
    {
        // Given a one-layer transformer classifier
        manual_seed(0);
        using var model = new TransformerClassifier(new TransformerClassifierConfig(VocabSize: 20, MaxLength: 12, PadToken: 1, Layers: 1, Heads: 2, EmbeddingDim: 8, Dropout: 0));
        // When it reads 3 padded documents of up to 12 tokens
        using var logits = model.call(randint(2, 20, [3, 12], dtype: ScalarType.Int64));
        // Then it returns 3 finite logits
        Assert.Equal([3L], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }
}
