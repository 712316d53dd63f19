using System.Globalization;
using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 05's exercises (embeddings and collaborative filtering): the dot-product-with-bias prediction
/// in a sigmoid range, nearest neighbours by cosine similarity, the parameter count of the embedding + MLP recommender,
/// and a weight decay that stops a small factorization from overfitting.
/// </summary>
/// <remarks>Introduced in chapter 05 (embeddings and collaborative filtering), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter05Exercises
{
    /// <summary>Exercise 05.1: a rating from factors and biases, squashed into <c>(low, high)</c>, compared with <see cref="DotProductBias"/>.</summary>
    /// <param name="predictRating">The learner's prediction: <c>(userFactors (B, F), itemFactors (B, F), userBias (B), itemBias (B), low, high) → (B)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict PredictRating(Func<Tensor, Tensor, Tensor, Tensor, double, double, Tensor> predictRating) =>
        Exercise.Check("05.1", "dot product + biases in a sigmoid range", () =>
        {
            Expect.That(predictRating is not null, "pass your function: Chapter05Exercises.PredictRating(PredictRating).");
            using var scope = NewDisposeScope();
            var g = new Generator(5);
            var cases = new (double Low, double High, float Scale, string Name)[]
            {
                (0, 5.5, 1, "range (0, 5.5)"), (1, 5, 1, "range (1, 5)"), (0, 5.5, 4, "range (0, 5.5) with large factors"),
            };
            foreach (var (low, high, scale, name) in cases)
            {
                var model = Mistakes.Seeded(5, () => new DotProductBias(new DotProductBiasConfig(4, 6, Factors: 3, YRange: (low, high))));
                using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: g) * scale);
                var pairs = tensor(new long[,] { { 0, 0 }, { 1, 5 }, { 3, 2 }, { 2, 4 }, { 3, 3 } });
                var (users, items) = (pairs[.., 0], pairs[.., 1]);
                var (u, m) = (model.UserFactors.detach().index_select(0, users), model.ItemFactors.detach().index_select(0, items));
                var (bu, bm) = (model.UserBiases!.index_select(0, users), model.ItemBiases!.index_select(0, items));
                Tensor expected;
                using (no_grad()) expected = model.call(pairs);
                var got = predictRating!(u, m, bu, bm, low, high);
                var what = $"PredictRating for 5 (user, movie) pairs, {name}";
                var raw = (u * m).sum(1) + bu + bm;
                Mistakes.If(got, raw, expected, $"{what} returned the raw u·m + b_u + b_m: squash it with sigmoid(x) * (high - low) + low.");
                Mistakes.If(got, DotProductBias.SigmoidRange((u * m).sum(1), low, high), expected, $"{what} leaves out the biases: add b_u + b_m before the sigmoid.");
                if (low != 0) Mistakes.If(got, raw.sigmoid() * high, expected, $"{what} scales by high only: sigmoid(x) * (high - low) + low maps onto (low, high).");
                Expect.Close(got, expected, what);
            }
            return "your predictions equal DotProductBias's for ranges (0, 5.5) and (1, 5), also where large factors push them near the ends.";
        });

    /// <summary>Exercise 05.2: the <c>k</c> rows most similar to a row by cosine similarity, compared with <see cref="Similarity.Nearest"/>.</summary>
    /// <param name="nearest">The learner's search: <c>(embeddings (N, D), query row, k) → k row indices, most similar first</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict NearestByCosine(Func<Tensor, int, int, int[]> nearest) =>
        Exercise.Check("05.2", "nearest neighbours by cosine similarity", () =>
        {
            Expect.That(nearest is not null, "pass your function: Chapter05Exercises.NearestByCosine(NearestByCosine).");
            using var scope = NewDisposeScope();
            var g = new Generator(6);
            var random = randn(20, 8, generator: g);
            var lengths = tensor(new float[,] { { 1, 0 }, { 10, 6 }, { 0.9f, 0.1f }, { -1, 0 }, { 0, 2 } });   // row 1 is long but at a wider angle than row 2
            var cases = new (Tensor E, int Query, int K, string Name)[]
            {
                (random, 3, 5, "20 random vectors of 8, query row 3, k = 5"),
                (lengths, 0, 2, "rows [1, 0], [10, 6], [0.9, 0.1], [-1, 0], [0, 2], query row 0, k = 2"),
                (random[..6], 5, 5, "6 random vectors, query row 5 (the last), k = 5 (every other row)"),
            };
            foreach (var (E, query, k, name) in cases)
            {
                var expected = Similarity.Nearest(E, query, k).Select(n => n.Index).ToArray();
                var got = nearest!(E, query, k);
                Expect.That(got is not null, $"for {name} your function returned null, expected {k} row indices.");
                Expect.That(!got!.Contains(query), $"for {name} the query row {query} is in your list [{string.Join(", ", got!)}]: leave the row itself out.");
                var byDot = E.matmul(E[query]).data<float>().ToArray();
                var dotOrder = Enumerable.Range(0, byDot.Length).Where(i => i != query).OrderByDescending(i => byDot[i]).Take(k).ToArray();
                if (!dotOrder.SequenceEqual(expected))
                    Expect.That(!got.SequenceEqual(dotOrder), $"for {name} you ranked by the dot product, which favours long vectors: cosine divides by both lengths, so only the angle counts.");
                Expect.Equal(string.Join(", ", got!), string.Join(", ", expected), $"the nearest rows for {name}");
            }
            return "your neighbours match Similarity.Nearest, most similar first, without the query, and a long vector at a wide angle does not win.";
        });

    /// <summary>Exercise 05.3: predict the parameter count of the chapter's embedding + MLP recommender.</summary>
    /// <param name="predicted">The learner's prediction (null: not answered yet).</param>
    /// <param name="model">The chapter's <see cref="CollabMlp"/> (<c>mlp</c>).</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict CollabMlpParameters(long? predicted, CollabMlp model) =>
        Exercise.Check("05.3", "predict the embedding + MLP recommender's parameter count", () =>
        {
            Expect.That(model is not null, "pass the chapter's model: Chapter05Exercises.CollabMlpParameters(predictedMlpParameters, mlp).");
            var answer = Expect.Answered(predicted, "predictedMlpParameters");
            var c = model!.Config;
            var truth = model.parameters().Sum(p => p.numel());
            long embeddings = (long)c.NumUsers * c.UserFactors + (long)c.NumItems * c.ItemFactors;
            long inputs = c.UserFactors + c.ItemFactors;
            long weights = inputs * c.Hidden + c.Hidden;
            long biases = c.Hidden + 1;
            Mistakes.If(answer, weights + biases, truth, $"{answer} counts only the MLP: the two embedding tables ({c.NumUsers} x {c.UserFactors} and {c.NumItems} x {c.ItemFactors}) are parameters too, and most of them.");
            Mistakes.If(answer, embeddings, truth, $"{answer} counts only the embeddings: add the hidden layer ({inputs} x {c.Hidden} + {c.Hidden}) and the output layer ({c.Hidden} + 1).");
            Mistakes.If(answer, embeddings + weights, truth, $"{answer} leaves out the two layers' biases ({c.Hidden} and 1).");
            Expect.Equal(answer, truth, "the parameters of the embedding + MLP model");
            return $"{c.NumUsers} x {c.UserFactors} + {c.NumItems} x {c.ItemFactors} embedding entries, {inputs} x {c.Hidden} + {c.Hidden} in the hidden layer, {c.Hidden} + 1 in the output: {truth:N0}.";
        });

    /// <summary>
    /// Exercise 05.4: a weight decay that stops a small matrix factorization from overfitting, and why. The check trains a
    /// <see cref="DotProductBias"/> with 20 factors on 1,000 synthetic ratings (rank 2 plus noise) with AdamW, once without
    /// weight decay and once with the learner's, and compares their validation MSE.
    /// </summary>
    /// <param name="weightDecay">The learner's AdamW weight decay (null: not answered yet).</param>
    /// <param name="explanation">Why weight decay helps here, and what too much of it does.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict WeightDecay(double? weightDecay, string explanation) =>
        Exercise.Check("05.4", "a weight decay against overfitting", () =>
        {
            var wd = Expect.Answered(weightDecay, "weightDecay");
            Expect.That(wd >= 0, $"weightDecay = {wd} is negative: weight decay shrinks weights, so it is 0 or more.");
            var (_, none) = NoDecay.Value;
            var (train, valid) = Factorization(wd);
            string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
            Expect.That(double.IsFinite(valid), $"with weight decay {wd} training diverged (validation MSE {valid}): AdamW shrinks w by lr · wd per step, so lr · wd must stay well below 1.");
            Expect.That(valid <= none - 0.5,
                train > 0.5
                    ? $"with weight decay {wd} the validation MSE is {F(valid)} against {F(none)} without, and the model cannot even fit the training ratings (training MSE {F(train)}): that is too much decay. Try a smaller value."
                    : $"with weight decay {wd} the validation MSE is {F(valid)} against {F(none)} without (training MSE {F(train)}: still memorising). Not yet 0.5 better: try a larger value.");
            Expect.Written(explanation, "weightDecayExplanation", 8);
            return $"validation MSE {F(valid)} with weight decay {wd} against {F(none)} without (training MSE {F(train)}); compare your explanation with the solution.";
        });

    private static readonly Lazy<(double Train, double Valid)> NoDecay = new(() => Factorization(0));

    /// <summary>Trains the check's small factorization with AdamW and weight decay <paramref name="wd"/>: (training MSE, validation MSE).</summary>
    internal static (double Train, double Valid) Factorization(double wd)
    {
        const int users = 60, items = 60, observed = 1_000, steps = 100;
        using var scope = NewDisposeScope();
        var g = new Generator(50);
        var userTaste = randn(users, 2, generator: g);
        var itemTraits = randn(items, 2, generator: g);
        var cells = randperm(users * items, generator: g)[..(2 * observed)];
        var pairs = stack([cells.floor_divide(items), cells.remainder(items)], 1);                                      // (2n, 2)
        var ratings = 3 + (userTaste.index_select(0, pairs[.., 0]) * itemTraits.index_select(0, pairs[.., 1])).sum(1)
                      + 0.5f * randn(2 * observed, generator: g);                                     // (2n)
        var (trainX, trainY, validX, validY) = (pairs[..observed], ratings[..observed], pairs[observed..], ratings[observed..]);
        var model = Mistakes.Seeded(50, () => new DotProductBias(new DotProductBiasConfig(users, items, Factors: 20)));
        using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: g) * 0.1);   // from `g`: repeatable even while other threads draw
        using var optimizer = optim.AdamW(model.parameters(), 0.05, weight_decay: wd);
        for (var step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(trainX), trainY).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        return (nn.functional.mse_loss(model.call(trainX), trainY).item<float>(), nn.functional.mse_loss(model.call(validX), validY).item<float>());
    }
}
