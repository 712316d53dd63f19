using System.Globalization;
using DeepLearning.Course.Data;
using DeepLearning.Course.Graphs;
using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 11's exercises (graph neural networks): the GCN normalisation written by hand, the parameter
/// count of the paper's GCN, how far label propagation should spread the labels (and why), and a GraphSAGE-style
/// layer that keeps a node's own vector apart from the mean of its neighbours'.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter11Exercises
{
    /// <summary>Exercise 11.1: <c>D̃^-1/2 (A + I) D̃^-1/2</c> from a dense adjacency matrix, compared with <see cref="Adjacency.Normalized"/>.</summary>
    /// <param name="normalize">The learner's function: adjacency [N, N] (0/1, no self-loops) → Â [N, N].</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict NormalizeAdjacency(Func<Tensor, Tensor> normalize) =>
        Exercise.Check("11.1", "the GCN normalisation D^-1/2 (A + I) D^-1/2", () =>
        {
            Expect.That(normalize is not null, "pass your function: Chapter11Exercises.NormalizeAdjacency(NormalizeAdjacency).");
            using var scope = NewDisposeScope();
            var g = new Generator(11);
            var random = (rand(8, 8, generator: g) < 0.35).to_type(ScalarType.Float32).triu(1);
            var cases = new (Tensor A, string Name)[]
            {
                (Adjacency.Dense(tensor(new long[] { 0, 1, 0, 2, 1, 2, 2, 3, 1, 0, 2, 0, 2, 1, 3, 2 }, [2, 8]), 4), "a triangle 0-1-2 with a tail 2-3"),
                (random + random.t(), "a random graph of 8 nodes"),
                (Adjacency.Dense(tensor(new long[] { 0, 1, 1, 0 }, [2, 2]), 3), "an edge 0-1 and an isolated node 2"),
            };
            foreach (var (a, name) in cases)
            {
                var expected = Adjacency.Normalized(a);
                var got = normalize!(a.clone());
                var what = $"for {name} your Â";
                Expect.Shape(got, a.shape, what);
                var withSelfLoops = a + eye(a.shape[0]);
                var rowNormalized = withSelfLoops / withSelfLoops.sum(1, keepdim: true);
                Mistakes.If(got, rowNormalized, expected, $"{what} is D̃^-1 (A + I), each row divided by its degree: the symmetric form divides entry (i, j) by sqrt(d_i d_j).");
                Mistakes.If(got, Adjacency.Normalized(a, addSelfLoops: false), expected, $"{what} leaves out the self-loops: add I to A before counting the degrees, so each node keeps its own vector.");
                Mistakes.If(got, withSelfLoops, expected, $"{what} is A + I without the normalisation: scale entry (i, j) by 1 / sqrt(d_i d_j).");
                Expect.That(got!.isfinite().all().item<bool>(), $"{what} contains NaN or infinity: a node's degree must count its self-loop, so no degree is 0.");
                Expect.Close(got, expected, what);
            }
            return "your Â equals D̃^-1/2 (A + I) D̃^-1/2 on a triangle with a tail, a random graph, and a graph with an isolated node.";
        });

    /// <summary>Exercise 11.2: predict the parameter count of the chapter's GCN for Cora.</summary>
    /// <param name="predicted">The learner's prediction (null: not answered yet).</param>
    /// <param name="model">The chapter's <see cref="Gcn"/>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict GcnParameters(long? predicted, Gcn model) =>
        Exercise.Check("11.2", "predict the GCN's parameter count", () =>
        {
            Expect.That(model is not null, "pass the chapter's model: Chapter11Exercises.GcnParameters(predictedGcnParameters, gcn).");
            var answer = Expect.Answered(predicted, "predictedGcnParameters");
            var c = model!.Config;
            var truth = model.parameters().Sum(p => p.numel());
            long first = (long)c.Inputs * c.Hidden, second = (long)c.Hidden * c.Outputs;
            Mistakes.If(answer, first + second, truth, $"{answer} counts the two weight matrices ({c.Inputs} x {c.Hidden} and {c.Hidden} x {c.Outputs}) but not the biases ({c.Hidden} and {c.Outputs}).");
            Mistakes.If(answer, first + c.Hidden, truth, $"{answer} counts only the first layer: the second maps {c.Hidden} to {c.Outputs} classes ({c.Hidden} x {c.Outputs} + {c.Outputs}).");
            Mistakes.If(answer, first + second + c.Hidden + c.Outputs + (long)c.Hidden * c.Hidden, truth, $"{answer} counts a hidden-to-hidden layer: this GCN has {c.Layers} layers.");
            Expect.Equal(answer, truth, "the parameters of the GCN");
            return $"{c.Inputs} x {c.Hidden} + {c.Hidden} in the first layer and {c.Hidden} x {c.Outputs} + {c.Outputs} in the second: {truth:N0}. The adjacency is not a parameter: the same Â is used, never learned.";
        });

    /// <summary>The test accuracy exercise 11.3 asks label propagation to reach on Cora.</summary>
    public const double LabelPropagationTarget = 0.65;

    /// <summary>
    /// Exercise 11.3: how many rounds label propagation needs on Cora to reach <see cref="LabelPropagationTarget"/> test
    /// accuracy, and why. The check runs <see cref="LabelPropagation.Propagate"/> (α = 0.9) for the learner's number of rounds.
    /// </summary>
    /// <param name="rounds">The learner's number of rounds (null: not answered yet).</param>
    /// <param name="explanation">Why too few rounds fail, in a sentence or two.</param>
    /// <param name="cora">The chapter's Cora.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict LabelPropagationRounds(int? rounds, string explanation, PlanetoidData cora) =>
        Exercise.Check("11.3", "how far labels must travel", () =>
        {
            Expect.That(cora is not null, "pass the chapter's graph: Chapter11Exercises.LabelPropagationRounds(rounds, roundsExplanation, cora).");
            var r = Expect.Answered(rounds, "rounds");
            Expect.That(r is >= 1 and <= 1_000, $"rounds = {r}: choose between 1 and 1,000 rounds of F ← α Â F + (1 - α) Y.");
            var (accuracy, unreached) = LabelPropagationOutcome(cora!, r);
            string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
            Expect.That(accuracy >= LabelPropagationTarget,
                $"with {r} round{(r == 1 ? "" : "s")} label propagation reaches {F(accuracy)} test accuracy, below {F(LabelPropagationTarget)}: each round carries a label one link further, and {unreached} of the 1,000 test papers are still more than {r} link{(r == 1 ? "" : "s")} from every labelled paper, so they have no score at all. Try more rounds.");
            Expect.Written(explanation, "roundsExplanation", 8);
            return $"{r} rounds: test accuracy {F(accuracy)}, {unreached} test papers unreached (Kipf & Welling's table: 0.680); compare your explanation with the solution.";
        });

    /// <summary>Test accuracy of <see cref="LabelPropagation.Propagate"/> (α = 0.9) after <paramref name="rounds"/> rounds, and how many test nodes got no score.</summary>
    internal static (double Accuracy, long Unreached) LabelPropagationOutcome(PlanetoidData data, int rounds)
    {
        using var scope = NewDisposeScope();
        var scores = LabelPropagation.Propagate(data.EdgeIndex, data.NumNodes, data.Labels, data.TrainNodes, data.NumClasses, alpha: 0.9, iterations: rounds)
            .index_select(0, data.TestNodes);
        var accuracy = scores.argmax(1).eq(data.Labels.index_select(0, data.TestNodes)).to_type(ScalarType.Float64).mean().item<double>();
        return (accuracy, scores.abs().sum(1).eq(0).sum().item<long>());
    }

    /// <summary>
    /// Exercise 11.4: a GraphSAGE-style layer, <c>h_i' = W_self x_i + W_neigh mean_{j ∈ N(i)} x_j + b</c> (Hamilton et al. 2017):
    /// a node's own vector is kept apart from its neighbours' mean. The check builds the learner's layer and tests its
    /// shape, its parameters (<c>2 · in · out + out</c>), that a node sees only its neighbours, that it averages rather
    /// than sums them, and that an isolated node gets a finite output.
    /// </summary>
    /// <param name="makeLayer">Builds the learner's layer for <c>(inputs, outputs)</c>; its forward takes features [N, in] and a 0/1 adjacency [N, N] without self-loops.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict SageLayer(Func<int, int, nn.Module<Tensor, Tensor, Tensor>> makeLayer) =>
        Exercise.Check("11.4", "a layer that keeps a node apart from its neighbours' mean", () =>
        {
            Expect.That(makeLayer is not null, "pass a function that builds your layer: Chapter11Exercises.SageLayer((i, o) => new SageLayer(i, o)).");
            using var scope = NewDisposeScope();
            var layer = Mistakes.Seeded(11, () => makeLayer!(5, 3));
            Expect.That(layer is not null, "your function returned null instead of a layer.");
            Expect.ParameterCount(layer!, 2 * 5 * 3 + 3, "SageLayer(5, 3): W_self (5 x 3), W_neigh (5 x 3) and one bias (3)");
            layer!.eval();
            // Nodes: 0 - 1, 0 - 2 (node 0 has two neighbours), 3 - 4 (node 3 has one), 5 isolated.
            var edges = tensor(new long[] { 0, 0, 3, 1, 2, 4, 1, 2, 4, 0, 0, 3 }, [2, 6]);
            var a = Adjacency.Dense(edges, 6);
            var g = new Generator(12);
            var x = randn(6, 5, generator: g);
            using (no_grad())
            {
                var h = layer.call(x, a);
                Expect.Shape(h, [6, 3], "your layer's output for 6 nodes with 5 features");
                Expect.That(h.isfinite().all().item<bool>(), "your layer returns NaN or infinity for node 5, which has no neighbours: the mean of no vectors should count as zero (divide by max(degree, 1)).");

                var moved = x.clone();
                moved[4] += 10;                                              // node 4 is not a neighbour of 0
                Expect.Close(layer.call(moved, a)[0], h[0], "node 0's output after changing node 4, which is not its neighbour");
                moved = x.clone();
                moved[1] += 10;                                              // node 1 is
                Expect.That(!layer.call(moved, a)[0].allclose(h[0], rtol: 1e-4, atol: 1e-4), "node 0's output did not change when its neighbour 1 changed: add W_neigh times the mean of the neighbours' vectors.");

                var same = x.clone();
                same[3] = x[0];                                              // nodes 0 and 3 alike,
                same[1] = x[4];
                same[2] = x[4];                                              // and 0's two neighbours alike 3's one
                var hs = layer.call(same, a);
                Expect.That(hs[0].allclose(hs[3], rtol: 1e-4, atol: 1e-5),
                    "node 0 (two neighbours, both equal to v) and node 3 (one neighbour, v) got different outputs: take the mean of the neighbours, not their sum.");
            }
            return "your layer has W_self, W_neigh and a bias, looks only at a node's neighbours, averages them, and copes with an isolated node.";
        });
}
