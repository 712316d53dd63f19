using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 05's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter05ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void A_rating_is_the_dot_product_plus_biases_squashed_into_the_range()
    {
        // Given the right prediction and three typical mistakes
        static Tensor Right(Tensor u, Tensor m, Tensor bu, Tensor bm, double low, double high) => ((u * m).sum(1) + bu + bm).sigmoid() * (high - low) + low;
        static Tensor Raw(Tensor u, Tensor m, Tensor bu, Tensor bm, double low, double high) => (u * m).sum(1) + bu + bm;
        static Tensor NoBias(Tensor u, Tensor m, Tensor bu, Tensor bm, double low, double high) => (u * m).sum(1).sigmoid() * (high - low) + low;
        static Tensor NoLow(Tensor u, Tensor m, Tensor bu, Tensor bm, double low, double high) => ((u * m).sum(1) + bu + bm).sigmoid() * high;
        // Then
        Assert.True(Chapter05Exercises.PredictRating(Right).Solved);
        Assert.Contains(Starter, Chapter05Exercises.PredictRating((_, _, _, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("returned the raw u·m + b_u + b_m", Chapter05Exercises.PredictRating(Raw).Message);
        Assert.Contains("leaves out the biases", Chapter05Exercises.PredictRating(NoBias).Message);
        Assert.StartsWith("PredictRating for 5 (user, movie) pairs, range (1, 5) scales by high only", Chapter05Exercises.PredictRating(NoLow).Message);
    }

    [Fact]
    public void Nearest_neighbours_rank_by_angle_and_leave_out_the_query()
    {
        // Given the right search, one by dot product, and one that keeps the query
        static int[] Rank(Tensor E, int query, int k, bool cosine, bool keepQuery)
        {
            var scores = (cosine ? nn.functional.normalize(E, dim: 1) : E).matmul((cosine ? nn.functional.normalize(E, dim: 1) : E)[query]).data<float>().ToArray();
            return Enumerable.Range(0, scores.Length).Where(i => keepQuery || i != query).OrderByDescending(i => scores[i]).Take(k).ToArray();
        }
        // Then
        Assert.True(Chapter05Exercises.NearestByCosine((E, q, k) => Rank(E, q, k, cosine: true, keepQuery: false)).Solved);
        Assert.Contains(Starter, Chapter05Exercises.NearestByCosine((_, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("ranked by the dot product", Chapter05Exercises.NearestByCosine((E, q, k) => Rank(E, q, k, cosine: false, keepQuery: false)).Message);
        Assert.Contains("the query row 3 is in your list", Chapter05Exercises.NearestByCosine((E, q, k) => Rank(E, q, k, cosine: true, keepQuery: true)).Message);
    }

    [Fact]
    public void The_embedding_and_MLP_parameter_count_is_read_from_the_chapters_model()
    {
        // Given a recommender like the chapter's, smaller: 10 x 4 and 12 x 6 embeddings, Linear(10, 5), Linear(5, 1)
        using var model = new CollabMlp(new CollabMlpConfig(10, 12, UserFactors: 4, ItemFactors: 6, Hidden: 5));
        const long embeddings = 10 * 4 + 12 * 6, layers = 10 * 5 + 5 + 5 + 1;
        // Then
        Assert.True(Chapter05Exercises.CollabMlpParameters(embeddings + layers, model).Solved);
        Assert.Contains("predictedMlpParameters is still null", Chapter05Exercises.CollabMlpParameters(null, model).Message);
        Assert.Contains("counts only the MLP", Chapter05Exercises.CollabMlpParameters(layers, model).Message);
        Assert.Contains("counts only the embeddings", Chapter05Exercises.CollabMlpParameters(embeddings, model).Message);
        Assert.Contains("leaves out the two layers' biases", Chapter05Exercises.CollabMlpParameters(embeddings + 10 * 5 + 5, model).Message);
    }

    [Fact]
    public void Weight_decay_must_beat_no_decay_on_the_small_factorization_and_be_explained()
    {
        const string why = "Decay shrinks every factor, so only factors that help many ratings survive and the model stops memorising.";
        Assert.True(Chapter05Exercises.WeightDecay(1, why).Solved);
        Assert.Contains("weightDecay is still null", Chapter05Exercises.WeightDecay(null, "").Message);
        Assert.Contains("try a larger value", Chapter05Exercises.WeightDecay(0.001, why).Message);
        Assert.Contains("that is too much decay", Chapter05Exercises.WeightDecay(10, why).Message);
        Assert.Contains("weightDecayExplanation is empty", Chapter05Exercises.WeightDecay(1, "").Message);
    }
}
