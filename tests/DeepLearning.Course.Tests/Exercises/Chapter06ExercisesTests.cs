using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 06's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter06ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void A_sliding_window_mask_is_causal_and_counts_the_query_itself()
    {
        // Given the right mask, a symmetric band, and a window one too wide
        static Tensor Band(long length, Func<Tensor, Tensor> allowed) => allowed(arange(length).unsqueeze(1) - arange(length).unsqueeze(0));
        // Then
        Assert.True(Chapter06Exercises.SlidingWindowMask((T, w) => Band(T, d => d.ge(0).logical_and(d.lt(w)))).Solved);
        Assert.Contains(Starter, Chapter06Exercises.SlidingWindowMask((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("lets queries see the future", Chapter06Exercises.SlidingWindowMask((T, w) => Band(T, d => d.abs().lt(w))).Message);
        Assert.Contains("lets each query see 4 keys", Chapter06Exercises.SlidingWindowMask((T, w) => Band(T, d => d.ge(0).logical_and(d.le(w)))).Message);
        Assert.Contains("has dtype Float32", Chapter06Exercises.SlidingWindowMask((T, w) => Band(T, d => d.ge(0).logical_and(d.lt(w))).to_type(ScalarType.Float32)).Message);
    }

    [Fact]
    public void The_sinusoidal_table_interleaves_sine_and_cosine()
    {
        static Tensor Table(int length, int dim, bool interleave)
        {
            var angle = arange(length, dtype: ScalarType.Float32).unsqueeze(1) * exp(arange(0, dim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / dim));
            return interleave ? stack([sin(angle), cos(angle)], -1).reshape(length, dim) : cat([sin(angle), cos(angle)], 1);
        }
        Assert.True(Chapter06Exercises.SinusoidalTable((L, d) => Table(L, d, interleave: true)).Solved);
        Assert.Contains(Starter, Chapter06Exercises.SinusoidalTable((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("puts all the sines first", Chapter06Exercises.SinusoidalTable((L, d) => Table(L, d, interleave: false)).Message);
    }

    [Theory]
    [InlineData(198_272L, true, "12·C² + 13C")]
    [InlineData(null, false, "predictedBlockParameters is still null")]
    [InlineData(196_608L, false, "counts the weight matrices only")]
    [InlineData(66_048L, false, "is the attention alone")]
    [InlineData(200_000L, false, "got 200000, expected 198272")]
    public void A_block_parameter_prediction_is_compared_with_the_library_block(long? prediction, bool solved, string message)
    {
        var verdict = Chapter06Exercises.TransformerBlockParameters(prediction);
        Assert.Equal(solved, verdict.Solved);
        Assert.Contains(message, verdict.Message);
    }

    [Fact]
    public void The_query_scale_must_make_the_lookup_nearly_hard_and_be_explained()
    {
        const string why = "Scores of d-dimensional vectors grow like sqrt(d) and saturate the softmax, killing its gradient.";
        Assert.True(Chapter06Exercises.QueryScale(10, why).Solved);
        Assert.Contains("queryScale is still null", Chapter06Exercises.QueryScale(null, "").Message);
        Assert.Contains("at scale 5 the lookup answers 10.8", Chapter06Exercises.QueryScale(5, why).Message);
        Assert.Contains("queryScaleExplanation is empty", Chapter06Exercises.QueryScale(10, "").Message);
    }

    [Fact]
    public void A_post_norm_block_is_causal_normalised_and_as_large_as_the_pre_norm_one()
    {
        // Given a right post-norm block, the library's pre-norm block, and a post-norm block that is not causal
        Assert.True(Chapter06Exercises.PostNormBlock((dim, heads) => new PostNorm(dim, heads, causal: true)).Solved);
        Assert.Contains(Starter, Chapter06Exercises.PostNormBlock((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("are not layer-normalised", Chapter06Exercises.PostNormBlock((dim, heads) => new TransformerBlock(dim, heads, causal: true)).Message);
        Assert.Contains("the attention must be causal", Chapter06Exercises.PostNormBlock((dim, heads) => new PostNorm(dim, heads, causal: false)).Message);
        Assert.StartsWith("the parameters of your block", Chapter06Exercises.PostNormBlock((dim, heads) => nn.LayerNorm(dim)).Message);
    }

    private sealed class PostNorm : nn.Module<Tensor, Tensor>
    {
        private readonly MultiHeadAttention _attn;
        private readonly LayerNorm _ln1;
        private readonly Sequential _mlp;
        private readonly LayerNorm _ln2;

        public PostNorm(int dim, int heads, bool causal) : base(nameof(PostNorm))
        {
            _attn = new MultiHeadAttention(dim, heads, causal);
            _ln1 = nn.LayerNorm(dim);
            _mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim));
            _ln2 = nn.LayerNorm(dim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            x = _ln1.call(x + _attn.call(x, x));
            return _ln2.call(x + _mlp.call(x));
        }
    }
}
