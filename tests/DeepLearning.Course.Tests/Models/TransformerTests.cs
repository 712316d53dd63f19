using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class TransformerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Written_out_attention_matches_torch_scaled_dot_product_attention(bool causal)
    {
        // Given random queries, keys and values with batch and head dimensions
        manual_seed(0);
        using var q = randn(2, 3, 5, 8);
        using var k = randn(2, 3, 5, 8);
        using var v = randn(2, 3, 5, 8);
        // When both implementations attend, with or without the causal mask
        using var mask = causal ? Attention.CausalMask(5) : null;
        var (ours, weights) = Attention.ScaledDotProduct(q, k, v, mask);
        using var theirs = nn.functional.scaled_dot_product_attention(q, k, v, null, 0, causal);
        // Then the outputs agree to 1e-5, every weight row sums to one, and masked weights are zero
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-5));
        Assert.True(weights.sum(-1).allclose(ones(2, 3, 5), atol: 1e-6));
        if (causal) Assert.Equal(0f, weights[.., .., 0, 1..].abs().max().item<float>());
    }

    [Fact]
    public void Multi_head_attention_gives_the_same_output_on_the_fused_and_written_out_paths()
    {
        // Given a causal 4-head attention module in eval mode
        manual_seed(1);
        using var attn = new MultiHeadAttention(16, 4, causal: true);
        attn.eval();
        using var x = randn(3, 7, 16);
        // When it runs fused, then with its weights captured
        using var fused = attn.call(x, x);
        attn.CaptureWeights = true;
        using var written = attn.call(x, x);
        // Then both paths agree and the weights have one (T x T) map per head
        Assert.True(fused.allclose(written, rtol: 1e-4, atol: 1e-5));
        Assert.Equal([3L, 4L, 7L, 7L], attn.LastWeights!.shape);
    }

    [Fact]
    public void Positional_encoding_alternates_sine_and_cosine()
    {
        // Given the sinusoidal table for 50 positions and 16 channels
        using var table = PositionalEncoding.Table(50, 16);
        // Then position 0 is (0, 1, 0, 1, ...), channel 0 at position p is sin(p), and all values lie in [-1, 1]
        Assert.Equal([50L, 16L], table.shape);
        Assert.Equal(0f, table[0, 0].item<float>(), 6);
        Assert.Equal(1f, table[0, 1].item<float>(), 6);
        Assert.Equal(MathF.Sin(7), table[7, 0].item<float>(), 5);
        Assert.Equal(MathF.Cos(7), table[7, 1].item<float>(), 5);
        Assert.True(table.abs().max().item<float>() <= 1f);
    }

    [Fact]
    public void Gpt_maps_tokens_to_logits_and_never_looks_ahead()
    {
        // Given a small GPT in eval mode and two sequences that differ only in their last token
        manual_seed(2);
        using var gpt = new Gpt(new GptConfig(VocabSize: 11, BlockSize: 8, Layers: 2, Heads: 2, EmbeddingDim: 16));
        gpt.eval();
        using var a = tensor(new long[] { 1, 2, 3, 4, 5, 6 }).reshape(1, 6);
        using var b = tensor(new long[] { 1, 2, 3, 4, 5, 9 }).reshape(1, 6);
        // When it reads both
        using var la = gpt.call(a);
        using var lb = gpt.call(b);
        // Then logits are [B, T, V], positions before the change agree, and the last one differs
        Assert.Equal([1L, 6L, 11L], la.shape);
        Assert.True(la[.., ..5].allclose(lb[.., ..5], atol: 1e-6));
        Assert.False(la[.., 5].allclose(lb[.., 5], atol: 1e-6));
        Assert.Equal(gpt.parameters().Sum(p => p.numel()), gpt.ParameterCount);
    }

    [Fact]
    public void Gpt_learns_to_copy_a_sequence_and_generates_it_greedily()
    {
        // Given sequences "x x" (a random half, then the same half again)
        manual_seed(3);
        using var gpt = new Gpt(new GptConfig(VocabSize: 5, BlockSize: 8, Layers: 1, Heads: 2, EmbeddingDim: 32));
        using var half = randint(0, 5, [256, 4]);
        using var seq = cat([half, half], 1);                       // (256, 8)
        var X = seq[.., ..7];
        var y = seq[.., 1..].clone();
        y[.., ..3] = tensor(-1L);                                    // only the copied half is predictable
        var options = new TrainerOptions
        {
            Epochs = 60, LearningRate = 3e-3, Optimizer = Optimizers.AdamW(), ShowProgress = false, Device = CPU,
            Loss = (yHat, t) => nn.functional.cross_entropy(yHat.reshape(-1, yHat.shape[^1]), t.reshape(-1), ignore_index: -1),
        };
        // When it trains, then continues four-token prompts
        new Trainer(options).Fit(gpt, new List<(Tensor X, Tensor y)> { (X, y) });
        using var prompt = randint(0, 5, [20, 4]);
        using var generated = gpt.Generate(prompt, 4);
        // Then it repeats almost every prompt exactly, and the attention maps are causal
        var exact = generated[.., 4..].eq(prompt).all(1).sum().item<long>();
        Assert.True(exact >= 18, $"{exact}/20 copied exactly");
        var maps = gpt.AttentionMaps(prompt);
        Assert.Single(maps);
        Assert.Equal(0f, maps[0][.., .., 0, 1..].abs().max().item<float>());
    }
}

public class Seq2SeqTransformerTests
{
    [Fact]
    public void Learns_to_reverse_short_digit_strings()
    {
        // Given 4-digit sources over {0..4} and their reversals; token 5 starts the decoder
        manual_seed(4);
        var config = new Seq2SeqConfig(VocabSize: 6, SourceLength: 4, TargetLength: 4, Layers: 1, Heads: 2, EmbeddingDim: 32);
        using var model = new Seq2SeqTransformer(config);
        using var source = randint(0, 5, [512, 4]);
        using var target = source.flip(1);
        using var start = full(512, 1, 5L, dtype: ScalarType.Int64);
        var X = cat([source, start, target[.., ..3]], 1);          // (512, 4 + 4)
        var options = new TrainerOptions
        {
            Epochs = 40, LearningRate = 3e-3, Optimizer = Optimizers.AdamW(), Loss = Losses.CrossEntropy, ShowProgress = false, Device = CPU,
        };
        // When it trains, then decodes new sources greedily
        new Trainer(options).Fit(model, new List<(Tensor X, Tensor y)> { (X, target) });
        using var test = randint(0, 5, [50, 4]);
        using var output = model.Translate(test, startToken: 5);
        // Then almost every reversal is exact, and cross-attention maps are (B, heads, T, S)
        var exact = output.eq(test.flip(1)).all(1).sum().item<long>();
        Assert.True(exact >= 45, $"{exact}/50 reversed exactly");
        var maps = model.CrossAttentionMaps(X[..2]);
        Assert.Equal([2L, 2L, 4L, 4L], maps[0].shape);
    }
}
