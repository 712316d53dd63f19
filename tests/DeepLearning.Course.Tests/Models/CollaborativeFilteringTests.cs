using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class CollaborativeFilteringTests
{
    [Fact]
    public void Dot_product_bias_equals_the_hand_written_formula()
    {
        // Given a model with biases and no range, and its parameters read back
        manual_seed(0);
        using var model = new DotProductBias(new DotProductBiasConfig(NumUsers: 4, NumItems: 6, Factors: 3, InitStd: 1.0));
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        using var x = tensor(new long[] { 0, 5, 3, 2, 1, 1 }, [3, 2]);
        // When the module and u·i + b_u + b_i compute the same three ratings
        using var yHat = model.call(x);
        using var u = p["_userFactors.weight"].index_select(0, x[.., 0]);
        using var i = p["_itemFactors.weight"].index_select(0, x[.., 1]);
        using var reference = (u * i).sum(1) + p["_userBias.weight"].index_select(0, x[.., 0]).squeeze(1)
            + p["_itemBias.weight"].index_select(0, x[.., 1]).squeeze(1);
        // Then they agree, one rating per row
        Assert.Equal([3L], yHat.shape);
        Assert.True(yHat.allclose(reference, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sigmoid_range_keeps_predictions_inside_the_range()
    {
        // Given a model with large random factors and a (0, 5.5) range, and one without biases
        manual_seed(1);
        using var ranged = new DotProductBias(new DotProductBiasConfig(10, 10, Factors: 8, YRange: (0, 5.5), InitStd: 0.7));
        using var noBias = new DotProductBias(new DotProductBiasConfig(10, 10, Factors: 8, UseBias: false));
        using var x = randint(0, 10, [50, 2], dtype: ScalarType.Int64);
        // When they predict
        using var r = ranged.call(x);
        // Then every prediction lies strictly inside the range, and the bias-free model has two parameters fewer
        Assert.True(r.min().item<float>() > 0 && r.max().item<float>() < 5.5);
        Assert.Equal(4, ranged.parameters().Count());
        Assert.Equal(2, noBias.parameters().Count());
        Assert.Null(noBias.ItemBiases);
        Assert.Equal([10L], ranged.ItemBiases!.shape);
    }

    [Fact]
    public void Both_recommenders_fit_a_small_low_rank_rating_matrix()
    {
        // Given all ratings of a rank-2 matrix of 20 users x 15 items, in (1, 5)
        manual_seed(2);
        using var truthU = rand(20, 2);
        using var truthI = rand(15, 2);
        using var ratings = truthU.matmul(truthI.t()) * 2 + 1;                     // (20, 15)
        var pairs = new List<long>();
        for (var a = 0; a < 20; a++) for (var b = 0; b < 15; b++) { pairs.Add(a); pairs.Add(b); }
        var X = tensor(pairs.ToArray(), [300, 2]);
        var y = ratings.reshape(-1);
        var data = new List<(Tensor X, Tensor y)> { (X, y) };
        var options = new TrainerOptions
        {
            Epochs = 300, LearningRate = 0.05, Optimizer = Optimizers.Adam(), Loss = Losses.Mse, ShowProgress = false, Device = CPU,
        };
        using var dot = new DotProductBias(new DotProductBiasConfig(20, 15, Factors: 4, YRange: (0, 5.5)));
        using var mlp = new CollabMlp(new CollabMlpConfig(20, 15, UserFactors: 8, ItemFactors: 8, Hidden: 32, YRange: (0, 5.5)));
        // When each trains on it
        var dotHistory = new Trainer(options).Fit(dot, data);
        var mlpHistory = new Trainer(options).Fit(mlp, data);
        // Then both fit it far better than predicting the mean (the ratings' variance)
        var variance = y.var().item<float>();
        Assert.True(dotHistory.Last["train_loss"] < 0.05 * variance, $"dot product MSE {dotHistory.Last["train_loss"]} vs variance {variance}");
        Assert.True(mlpHistory.Last["train_loss"] < 0.2 * variance, $"MLP MSE {mlpHistory.Last["train_loss"]} vs variance {variance}");
        Assert.Equal([15L, 8L], mlp.ItemFactors.shape);
    }

    [Fact]
    public void One_cycle_warms_up_then_anneals_once_per_batch()
    {
        // Given a one-cycle step at max lr 0.1 over 20 batches, and a trainer that records the lr it sees each batch
        manual_seed(3);
        using var model = new DotProductBias(new DotProductBiasConfig(3, 3, Factors: 2));
        var lrs = new List<double>();
        var options = new TrainerOptions
        {
            Epochs = 4, Optimizer = Optimizers.Adam(), Loss = Losses.Mse, ShowProgress = false, Device = CPU,
            Step = BatchSchedules.OneCycle(0.1, totalSteps: 20,
                inner: c => { lrs.Add(c.Optimizer.ParamGroups.First().LearningRate); return c.Standard(); }),
        };
        var X = tensor(new long[] { 0, 0, 1, 1, 2, 2 }, [3, 2]);
        var data = Enumerable.Range(0, 5).Select(_ => (X, tensor(new float[] { 1, 2, 3 }))).ToList();
        // When it trains 4 epochs of 5 batches
        new Trainer(options).Fit(model, data);
        // Then the lr starts at max/25, peaks at 0.1 near a quarter of the way, and ends far below the start
        Assert.Equal(20, lrs.Count);
        Assert.Equal(0.1 / 25, lrs[0], 6);
        var peak = lrs.IndexOf(lrs.Max());
        Assert.InRange(peak, 4, 7);
        Assert.Equal(0.1, lrs.Max(), 3);
        Assert.True(lrs[^1] < lrs[0] / 5, $"last lr {lrs[^1]}");
    }
}
