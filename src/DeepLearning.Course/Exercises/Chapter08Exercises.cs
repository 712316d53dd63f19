using System.Globalization;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 08's exercises (autoencoders and VAEs): the KL divergence between two Gaussians, the AUC as a
/// rank statistic, a prediction about flipped and random anomaly scores, an autoencoder with tied weights, and the KL
/// weight that makes a VAE's code carry nothing (and why).
/// </summary>
/// <remarks>Introduced in chapter 08 (autoencoders and VAEs), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter08Exercises
{
    /// <summary>
    /// Exercise 08.1: the KL divergence between two diagonal Gaussians, <c>KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²))</c>, per example,
    /// the chapter's KL term generalised to any Gaussian prior (with <c>μ₂ = 0, log σ₂² = 0</c> it is <see cref="Vae.ElboTerms"/>'s).
    /// </summary>
    /// <param name="kl">The learner's function: μ₁, log σ₁², μ₂, log σ₂² (each <c>(N, L)</c>) → KL <c>(N)</c> in nats.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict GaussianKl(Func<Tensor, Tensor, Tensor, Tensor, Tensor> kl) =>
        Exercise.Check("08.1", "the KL divergence between two Gaussians", () =>
        {
            Expect.That(kl is not null, "pass your function: Chapter08Exercises.GaussianKl(GaussianKl);");
            using var scope = NewDisposeScope();
            var g = new Generator(81);
            var cases = new (Tensor M1, Tensor L1, Tensor M2, Tensor L2, string Name)[]
            {
                (randn(4, 3, generator: g), randn(4, 3, generator: g), zeros(4, 3), zeros(4, 3), "four random q against the prior N(0, I)"),
                (randn(4, 3, generator: g), randn(4, 3, generator: g), randn(4, 3, generator: g), randn(4, 3, generator: g), "four random pairs of Gaussians in 3-D"),
                (tensor(new float[,] { { 1, -2 } }), tensor(new float[,] { { 0.5f, -1 } }), tensor(new float[,] { { 1, -2 } }), tensor(new float[,] { { 0.5f, -1 } }), "two equal Gaussians"),
                (tensor(new float[,] { { 3, -2 } }), tensor(new float[,] { { -4, 1.5f } }), tensor(new float[,] { { 0, 1 } }), tensor(new float[,] { { 2, -0.5f } }), "a narrow q (log σ₁² = -4) and a wide p (log σ₂² = 2) in one dimension"),
            };
            foreach (var (m1, l1, m2, l2, name) in cases)
            {
                var expected = Kl(m1, l1, m2, l2);
                var got = kl!(m1.clone(), l1.clone(), m2.clone(), l2.clone());
                var what = $"for {name} your KL";
                Expect.Shape(got, [m1.shape[0]], what + " (one number per example: sum over the latent dimensions)");
                Mistakes.If(got, Kl(m2, l2, m1, l1), expected, $"{what} is KL(p ‖ q), the arguments swapped: KL is not symmetric; the expectation is over q = N(μ₁, σ₁²).");
                Mistakes.If(got, Terms(m1, l1, m2, l2).mean([1L]), expected, $"{what} averages over the latent dimensions: the KL of independent dimensions is their sum.");
                Mistakes.If(got, Kl(m1, 0.5 * l1, m2, 0.5 * l2), expected, $"{what} uses σ where the formula has σ² = exp(log σ²).");
                Mistakes.If(got, -Kl(m1, l1, m2, l2), expected, $"{what} has the wrong sign: a KL divergence is never negative.");
                Expect.Close(got, expected, what);
            }
            return "your KL equals ½ Σ (log σ₂² − log σ₁² + (σ₁² + (μ₁ − μ₂)²) / σ₂² − 1): the chapter's term against N(0, I), 0 for equal Gaussians, and large for a narrow q far from a wide p.";
        });

    private static Tensor Terms(Tensor m1, Tensor l1, Tensor m2, Tensor l2) =>
        0.5 * (l2 - l1 + (l1.exp() + (m1 - m2).square()) / l2.exp() - 1);

    private static Tensor Kl(Tensor m1, Tensor l1, Tensor m2, Tensor l2) => Terms(m1, l1, m2, l2).sum(1);

    /// <summary>Exercise 08.2: the area under the ROC curve as the chance that a random positive outscores a random negative (ties ½).</summary>
    /// <param name="auc">The learner's function: scores and labels (true = positive) → AUC.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict Auc(Func<double[], bool[], double> auc) =>
        Exercise.Check("08.2", "the AUC as a rank statistic", () =>
        {
            Expect.That(auc is not null, "pass your function: Chapter08Exercises.Auc(Auc);");
            var random = new Random(82);
            var noisy = Enumerable.Range(0, 300).Select(_ => random.NextDouble() < 0.3).ToArray();
            var noisyScores = noisy.Select(p => Math.Round(4 * (Gaussian(random) + (p ? 1 : 0)))).ToArray();
            var cases = new (double[] Scores, bool[] Labels, string Name)[]
            {
                ([0.9, 0.7, 0.4, 0.1], [true, false, true, false], "scores (0.9, 0.7, 0.4, 0.1) with positives at 0.9 and 0.4"),
                ([0.5, 0.5, 0.8], [true, false, true], "a positive and a negative tied at 0.5, and a positive at 0.8"),
                ([1.0, 1.0, 1.0, 1.0], [true, false, false, true], "four equal scores"),
                (noisyScores, noisy, "300 rounded random scores (many ties)"),
            };
            foreach (var (scores, labels, name) in cases)
            {
                var expected = BinaryScores.Auc(tensor(scores), tensor(labels));
                var got = auc!((double[])scores.Clone(), (bool[])labels.Clone());
                var what = $"for {name} your AUC";
                Mistakes.If(got, 1 - expected, expected, $"{what} is 1 − AUC: count the pairs where the positive scores *higher* than the negative.");
                Mistakes.If(got, StrictPairs(scores, labels), expected, $"{what} counts tied pairs as 0: a tie is a coin flip, count it as ½.");
                Expect.Close(got, expected, what, relative: 1e-9, absolute: 1e-9);
            }
            return "your AUC is the share of (positive, negative) pairs ordered correctly, ties counting ½: 0.75, 0.75, 0.5 for all-equal scores, and the library's value with many ties.";
        });

    /// <summary>Exercise 08.3: predict the AUC of the chapter's anomaly scores negated, and of random scores.</summary>
    /// <param name="predictedReversedAuc">The learner's prediction for the negated scores (null: not answered yet).</param>
    /// <param name="predictedRandomAuc">The learner's prediction for scores drawn at random (null: not answered yet).</param>
    /// <param name="chapterAuc">The AUC the chapter measured for its anomaly scores.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict PredictAuc(double? predictedReversedAuc, double? predictedRandomAuc, double chapterAuc) =>
        Exercise.Check("08.3", "predict the AUC of flipped and of random scores", () =>
        {
            var reversed = Expect.Answered(predictedReversedAuc, "predictedReversedAuc");
            var randomAuc = Expect.Answered(predictedRandomAuc, "predictedRandomAuc");
            Mistakes.If(reversed, chapterAuc, 1 - chapterAuc, $"predictedReversedAuc {reversed:F3} is the chapter's AUC unchanged: negating every score reverses the order of every (positive, negative) pair.", relative: 1e-2);
            Mistakes.If(reversed, -chapterAuc, 1 - chapterAuc, $"predictedReversedAuc {reversed:F3} is negative: an AUC is a share of pairs, between 0 and 1.", relative: 1e-2);
            Expect.Close(reversed, 1 - chapterAuc, "predictedReversedAuc (the chapter's AUC was " + chapterAuc.ToString("F3", CultureInfo.InvariantCulture) + ")", relative: 0, absolute: 0.005);
            // Verify the random case by experiment: 2,000 random scores against the chapter's class balance.
            var measured = Mistakes.Seeded(83, () =>
            {
                using var scope = NewDisposeScope();
                return BinaryScores.Auc(rand(2000), rand(2000).lt(0.1));
            });
            Expect.Close(randomAuc, 0.5, $"predictedRandomAuc (2,000 random scores here gave {measured:F3})", relative: 0, absolute: 0.02);
            return $"negating the scores reverses every pair: 1 − {chapterAuc:F3} = {1 - chapterAuc:F3}. Random scores order a pair correctly half the time: AUC 0.5 (measured here {measured:F3}), the diagonal of the ROC plot. An AUC below 0.5 is a useful score read upside down.";
        });

    /// <summary>
    /// Exercise 08.4: a linear autoencoder with tied weights (the decoder uses the encoder's weight matrix, transposed),
    /// built by the learner for <c>inputs</c> values and a code of <c>bottleneck</c>.
    /// </summary>
    /// <param name="make">The learner's factory: (inputs, bottleneck) → a module from <c>(B, inputs)</c> to <c>(B, inputs)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict TiedAutoencoder(Func<int, int, nn.Module<Tensor, Tensor>> make) =>
        Exercise.Check("08.4", "an autoencoder with tied weights", () =>
        {
            Expect.That(make is not null, "pass your factory: Chapter08Exercises.TiedAutoencoder(MakeTiedAutoencoder);");
            const int inputs = 20, bottleneck = 4;
            using var scope = NewDisposeScope();
            var model = make!(inputs, bottleneck);
            Expect.That(model is not null, "MakeTiedAutoencoder returned null: return your module.");
            var x = randn(5, inputs, generator: new Generator(84));
            var xHat = model!.call(x);
            Expect.Shape(xHat, [5, inputs], "your autoencoder's output for a batch of 5 inputs of 20");
            long tied = (long)inputs * bottleneck + bottleneck + inputs, untied = 2L * inputs * bottleneck + bottleneck + inputs;
            var count = Expect.CountParameters(model);
            Expect.That(count != untied, $"your autoencoder has {count} parameters, as many as one with its own decoder matrix ({inputs} x {bottleneck} twice): the decoder should reuse the encoder's weight, transposed (matmul with W.T, or nn.functional.linear(z, W.t(), b)).");
            Expect.That(count == tied, $"your autoencoder has {count} parameters; a tied linear autoencoder from {inputs} to {bottleneck} has {tied}: one {bottleneck} x {inputs} weight, a bias of {bottleneck} for the code and a bias of {inputs} for the output. {Expect.DescribeParameters(model)}");
            var other = model.call(x + 1);
            Expect.That(!other.allclose(xHat), "your autoencoder gives the same output for different inputs: the output must depend on x.");
            xHat.square().sum().backward();
            foreach (var (name, p) in model.named_parameters())
                Expect.That(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"parameter '{name}' gets no gradient: every parameter should take part in the reconstruction.");
            return $"shape (5, {inputs}) in and out, {tied} parameters ({inputs} x {bottleneck} shared by encoder and decoder, plus two biases) instead of {untied}, and every parameter gets a gradient. Tied weights halve the parameters; a linear autoencoder's optimum can be tied (PCA's decoder is its encoder transposed).";
        });

    /// <summary>
    /// Exercise 08.5: the KL weight β at which a small VAE's code stops carrying information (posterior collapse), and
    /// why. The check trains a 16-32-2 VAE on noisy 4x4 images of two kinds with the loss reconstruction + β·KL.
    /// </summary>
    /// <param name="beta">The learner's KL weight (null: not answered yet).</param>
    /// <param name="explanation">Why the code collapses, in a sentence or two.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict KlWeight(double? beta, string explanation) =>
        Exercise.Check("08.5", "the KL weight that empties the code", () =>
        {
            var b = Expect.Answered(beta, "beta");
            Expect.That(b is > 0 and <= 1000, $"beta = {b.ToString(CultureInfo.InvariantCulture)}: choose a weight between 0 (exclusive) and 1,000.");
            var (kl, reconstruction) = Mistakes.Seeded(85, () => TrainTinyVae(b));
            Expect.That(kl < 0.5, $"with beta = {b.ToString(CultureInfo.InvariantCulture)} the code still carries {kl:F2} nats per image (reconstruction {reconstruction:F2} nats): the code is worth keeping at this price. Raise beta until the KL term falls below 0.5 nats.");
            Expect.Written(explanation, "explanation");
            return $"with beta = {b.ToString(CultureInfo.InvariantCulture)} the code carries {kl:F2} nats per image and the reconstruction costs {reconstruction:F2} nats (close to 16 ln 2 = 11.1 for coin flips; about 3 with a useful code): every nat in the code now costs more than it saves in reconstruction, so the encoder answers the prior for every image and the decoder draws the average image. Compare your explanation with the solution.";
        });

    /// <summary>Trains the tiny VAE of exercise 08.5 with loss reconstruction + β·KL; returns its final KL and reconstruction terms.</summary>
    private static (double Kl, double Reconstruction) TrainTinyVae(double beta)
    {
        using var scope = NewDisposeScope();
        var left = tensor(new float[] { 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0 });
        var images = stack([left, 1 - left]).index_select(0, randint(2, 256)).reshape(256, 1, 4, 4);
        images = (images + rand(256, 1, 4, 4).lt(0.05).to_type(ScalarType.Float32)).remainder(2);   // 5% of pixels flipped
        using var vae = new Vae("tiny", inputSize: 16, hidden: 32, latent: 2, imageShape: [1, 4, 4]);
        var history = new Trainer(new TrainerOptions
        {
            Epochs = 40, Optimizer = Optimizers.Adam(), LearningRate = 1e-2, ShowProgress = false, Device = CPU,
            Step = c =>
            {
                c.Optimizer.zero_grad();
                var (logits, mean, logVariance) = vae.call(c.X);
                var (rec, kl) = Vae.ElboTerms(logits, c.X, mean, logVariance);
                var loss = (rec + beta * kl).mean();
                loss.backward();
                c.Optimizer.step();
                return new StepResult(StepContext.ReadLoss(loss), Values: new Dictionary<string, double>
                {
                    ["kl"] = StepContext.ReadLoss(kl.mean()), ["reconstruction"] = StepContext.ReadLoss(rec.mean()),
                });
            },
        }).Fit(vae, new DataLoader(images, 32, shuffle: true, seed: 0));
        return (history.Last["train_kl"], history.Last["train_reconstruction"]);
    }

    private static double StrictPairs(double[] scores, bool[] labels)
    {
        double correct = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
            for (var j = 0; j < scores.Length; j++)
                if (labels[i] && !labels[j]) { pairs++; if (scores[i] > scores[j]) correct++; }
        return correct / pairs;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
