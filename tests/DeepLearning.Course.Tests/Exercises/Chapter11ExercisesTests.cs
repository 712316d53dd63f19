using DeepLearning.Course.Data;
using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using DeepLearning.Course.Tests.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 11's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter11ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void The_normalisation_divides_by_the_root_of_both_degrees_after_adding_self_loops()
    {
        // Given the right normalisation and three typical mistakes
        static Tensor Right(Tensor a)
        {
            var aTilde = a + eye(a.shape[0]);
            var d = aTilde.sum(1).pow(-0.5);
            return d.unsqueeze(1) * aTilde * d.unsqueeze(0);
        }
        static Tensor RowNormalized(Tensor a) { var t = a + eye(a.shape[0]); return t / t.sum(1, keepdim: true); }
        static Tensor NoSelfLoops(Tensor a) { var d = a.sum(1).pow(-0.5); return d.unsqueeze(1) * a * d.unsqueeze(0); }
        // Then
        Assert.True(Chapter11Exercises.NormalizeAdjacency(Right).Solved);
        Assert.Contains(Starter, Chapter11Exercises.NormalizeAdjacency(_ => throw new NotImplementedException()).Message);
        Assert.Contains("each row divided by its degree", Chapter11Exercises.NormalizeAdjacency(RowNormalized).Message);
        Assert.Contains("leaves out the self-loops", Chapter11Exercises.NormalizeAdjacency(NoSelfLoops).Message);
        Assert.Contains("without the normalisation", Chapter11Exercises.NormalizeAdjacency(a => a + eye(a.shape[0])).Message);
    }

    [Fact]
    public void The_GCN_parameter_count_is_read_from_the_chapters_model()
    {
        // Given a GCN like the chapter's, smaller: 10 features, 4 hidden, 3 classes
        using var gcn = new Gcn(new GcnConfig(10, 3, Hidden: 4), eye(5));
        const long weights = 10 * 4 + 4 * 3;
        // Then
        Assert.True(Chapter11Exercises.GcnParameters(weights + 4 + 3, gcn).Solved);
        Assert.Contains("predictedGcnParameters is still null", Chapter11Exercises.GcnParameters(null, gcn).Message);
        Assert.Contains("but not the biases", Chapter11Exercises.GcnParameters(weights, gcn).Message);
        Assert.Contains("counts only the first layer", Chapter11Exercises.GcnParameters(10 * 4 + 4, gcn).Message);
    }

    [Fact]
    public void Label_propagation_needs_enough_rounds_for_labels_to_reach_the_test_papers_and_an_explanation()
    {
        // Given Cora
        using var cora = Planetoid.Load("cora", path: TestData.RequireInstalled(DatasetCatalog.Planetoid, "a planetoid/ folder in $DLCOURSE_DATA_DIRS").Directory);
        const string why = "each round carries a label one link further, and many test papers are several links away from every labelled paper";
        // Then enough rounds with an explanation is right; null, out of range, one round, or unexplained are not yet
        var right = Chapter11Exercises.LabelPropagationRounds(50, why, cora);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("rounds is still null", Chapter11Exercises.LabelPropagationRounds(null, why, cora).Message);
        Assert.Contains("choose between 1 and 1,000", Chapter11Exercises.LabelPropagationRounds(0, why, cora).Message);
        Assert.Contains("Try more rounds", Chapter11Exercises.LabelPropagationRounds(1, why, cora).Message);
        Assert.False(Chapter11Exercises.LabelPropagationRounds(50, "", cora).Solved);
    }

    private sealed class Sage : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear self;
        private readonly Linear neighbours;
        private readonly bool _sum;

        public Sage(int inputs, int outputs, bool sum = false) : base("Sage")
        {
            self = nn.Linear(inputs, outputs);
            neighbours = nn.Linear(inputs, outputs, hasBias: false);
            _sum = sum;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor a)
        {
            var aggregated = _sum ? a.matmul(x) : a.matmul(x) / a.sum(1, keepdim: true).clamp_min(1);
            return self.call(x) + neighbours.call(aggregated);
        }
    }

    private sealed class SelfOnly : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear self;
        private readonly Linear unused;

        public SelfOnly(int inputs, int outputs) : base("SelfOnly")
        {
            self = nn.Linear(inputs, outputs);
            unused = nn.Linear(inputs, outputs, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor a) => self.call(x) + 0 * unused.call(x);
    }

    [Fact]
    public void A_sage_layer_keeps_the_node_apart_from_the_mean_of_its_neighbours()
    {
        // Then the right layer is solved; a starter, a sum, and a layer that ignores the neighbours are not
        Assert.True(Chapter11Exercises.SageLayer((i, o) => new Sage(i, o)).Solved, Chapter11Exercises.SageLayer((i, o) => new Sage(i, o)).Message);
        Assert.Contains(Starter, Chapter11Exercises.SageLayer((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("not their sum", Chapter11Exercises.SageLayer((i, o) => new Sage(i, o, sum: true)).Message);
        Assert.Contains("did not change when its neighbour 1 changed", Chapter11Exercises.SageLayer((i, o) => new SelfOnly(i, o)).Message);
        Assert.Contains("parameters", Chapter11Exercises.SageLayer((i, o) => new Sage(i, o + 1)).Message);
    }
}
