using DeepLearning.Course.Exercises;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 08's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter08ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void The_kl_between_two_gaussians_sums_the_closed_form_over_the_latent_dimensions()
    {
        // Given the right KL(q || p) and typical mistakes
        static Tensor Terms(Tensor m1, Tensor l1, Tensor m2, Tensor l2) => 0.5 * (l2 - l1 + (l1.exp() + (m1 - m2).square()) / l2.exp() - 1);
        // Then
        var right = Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => Terms(m1, l1, m2, l2).sum(1));
        Assert.True(right.Solved, right.Message);
        Assert.Contains(Starter, Chapter08Exercises.GaussianKl((_, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("arguments swapped", Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => Terms(m2, l2, m1, l1).sum(1)).Message);
        Assert.Contains("averages over the latent dimensions", Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => Terms(m1, l1, m2, l2).mean([1L])).Message);
        Assert.Contains("uses σ where", Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => Terms(m1, 0.5 * l1, m2, 0.5 * l2).sum(1)).Message);
        Assert.Contains("wrong sign", Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => -Terms(m1, l1, m2, l2).sum(1)).Message);
        Assert.Contains("one number per example", Chapter08Exercises.GaussianKl((m1, l1, m2, l2) => Terms(m1, l1, m2, l2)).Message);
    }

    [Fact]
    public void The_auc_counts_correctly_ordered_pairs_with_ties_as_one_half()
    {
        // Given the right rank statistic, one that ignores ties and one that counts the pairs backwards
        static double Pairs(double[] s, bool[] y, bool ties, bool reversed)
        {
            double sum = 0, n = 0;
            for (var i = 0; i < s.Length; i++)
                for (var j = 0; j < s.Length; j++)
                    if (y[i] && !y[j]) { n++; var (a, b) = reversed ? (s[j], s[i]) : (s[i], s[j]); sum += a > b ? 1 : a == b && ties ? 0.5 : 0; }
            return sum / n;
        }
        // Then
        var right = Chapter08Exercises.Auc((s, y) => Pairs(s, y, ties: true, reversed: false));
        Assert.True(right.Solved, right.Message);
        Assert.Contains(Starter, Chapter08Exercises.Auc((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("counts tied pairs as 0", Chapter08Exercises.Auc((s, y) => Pairs(s, y, ties: false, reversed: false)).Message);
        Assert.Contains("is 1 − AUC", Chapter08Exercises.Auc((s, y) => Pairs(s, y, ties: true, reversed: true)).Message);
    }

    [Fact]
    public void Negated_scores_give_one_minus_the_auc_and_random_scores_one_half()
    {
        // Given a chapter AUC of 0.83
        const double auc = 0.83;
        // Then
        var right = Chapter08Exercises.PredictAuc(0.17, 0.5, auc);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("predictedReversedAuc is still null", Chapter08Exercises.PredictAuc(null, 0.5, auc).Message);
        Assert.Contains("predictedRandomAuc is still null", Chapter08Exercises.PredictAuc(0.17, null, auc).Message);
        Assert.Contains("the chapter's AUC unchanged", Chapter08Exercises.PredictAuc(0.83, 0.5, auc).Message);
        Assert.Contains("is negative", Chapter08Exercises.PredictAuc(-0.83, 0.5, auc).Message);
        Assert.Contains("predictedRandomAuc", Chapter08Exercises.PredictAuc(0.17, 0.0, auc).Message);
    }

    private sealed class Tied : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter _w, _b, _c;
        public Tied(int inputs, int k, bool untied = false) : base("tied")
        {
            _w = nn.Parameter(randn(k, inputs) * 0.1);
            _b = nn.Parameter(zeros(k));
            _c = nn.Parameter(zeros(inputs));
            if (untied) register_parameter("extra", nn.Parameter(randn(inputs, k)));
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => nn.functional.linear(nn.functional.linear(x, _w, _b), _w.t(), _c);
    }

    [Fact]
    public void A_tied_autoencoder_shares_one_weight_matrix_between_encoder_and_decoder()
    {
        // Then a tied module is right; the starter, an untied one and a constant one are not yet
        var right = Chapter08Exercises.TiedAutoencoder((n, k) => new Tied(n, k));
        Assert.True(right.Solved, right.Message);
        Assert.Contains(Starter, Chapter08Exercises.TiedAutoencoder((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("its own decoder matrix", Chapter08Exercises.TiedAutoencoder((n, k) => nn.Sequential(nn.Linear(n, k), nn.Linear(k, n))).Message);
        Assert.Contains("expected [5, 20]", Chapter08Exercises.TiedAutoencoder((n, k) => nn.Linear(n, k)).Message);
    }

    [Fact]
    public void A_large_enough_kl_weight_empties_the_code_and_needs_an_explanation()
    {
        const string why = "each nat in the code costs beta nats, more than it saves in reconstruction, so the encoder answers the prior";
        // Then a large beta with an explanation is right; beta 1 keeps a code; null, out of range or unexplained are not yet
        var right = Chapter08Exercises.KlWeight(100, why);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("beta is still null", Chapter08Exercises.KlWeight(null, why).Message);
        Assert.Contains("choose a weight between", Chapter08Exercises.KlWeight(0, why).Message);
        Assert.Contains("still carries", Chapter08Exercises.KlWeight(1, why).Message);
        Assert.Contains("explanation is empty", Chapter08Exercises.KlWeight(100, "").Message);
    }
}
