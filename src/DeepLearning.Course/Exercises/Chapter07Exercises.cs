using System.Globalization;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 07's exercises (GANs): the discriminator's and the non-saturating generator's losses from
/// logits, the losses' values when the discriminator wins and at the equilibrium, the transposed convolution's output
/// size, a DCGAN generator for 32x32 images, and the toy GAN's learning rate.
/// </summary>
/// <remarks>Introduced in chapter 07 (GANs), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter07Exercises
{
    /// <summary>Exercise 07.1: the two GAN losses from the discriminator's logits, compared with <see cref="GanTrainer"/>'s.</summary>
    /// <param name="discriminatorLoss">The learner's <c>(realLogits (B), fakeLogits (B)) → scalar</c>: the mean of the two halves' cross-entropies.</param>
    /// <param name="generatorLoss">The learner's non-saturating <c>fakeLogits (B) → scalar</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict GanLosses(Func<Tensor, Tensor, Tensor> discriminatorLoss, Func<Tensor, Tensor> generatorLoss) =>
        Exercise.Check("07.1", "the GAN losses from logits", () =>
        {
            Expect.That(discriminatorLoss is not null && generatorLoss is not null, "pass both functions: Chapter07Exercises.GanLosses(DiscriminatorLoss, GeneratorLoss).");
            using var scope = NewDisposeScope();
            var g = new Generator(7);
            var cases = new (string Name, Tensor Real, Tensor Fake)[]
            {
                ("8 random logits each", randn(8, generator: g) * 2, randn(8, generator: g) * 2),
                ("all logits 0 (D answers ½)", zeros(4), zeros(4)),
                ("a confident D: real logits 120, fake logits -120", full(3, 120f), full(3, -120f)),
                ("a fooled D: real logits -120, fake logits 120", full(3, -120f), full(3, 120f)),
            };
            var bce = nn.functional.binary_cross_entropy_with_logits;
            foreach (var (name, real, fake) in cases)
            {
                var expectedD = (bce(real, ones_like(real)) + bce(fake, zeros_like(fake))) / 2;
                var expectedG = bce(fake, ones_like(fake));
                var gotD = discriminatorLoss!(real, fake);
                var gotG = generatorLoss!(fake);
                Expect.That(gotD is not null && gotD.numel() == 1, $"DiscriminatorLoss for {name} must return one number (a scalar tensor).");
                Expect.That(gotG is not null && gotG.numel() == 1, $"GeneratorLoss for {name} must return one number (a scalar tensor).");
                gotD = gotD!.reshape([]);
                gotG = gotG!.reshape([]);
                var unstable = !double.IsFinite(gotD.item<float>()) || !double.IsFinite(gotG.item<float>());
                Expect.That(!unstable, $"for {name} your losses are {gotD.item<float>()} and {gotG.item<float>()}: log(sigmoid(x)) underflows for large |x|. Work from the logits (binary_cross_entropy_with_logits).");
                Mistakes.If(gotD, expectedD * 2, expectedD, $"DiscriminatorLoss for {name} is the sum of the two halves: average them, as the chapter does.");
                Mistakes.If(gotD, (bce(real, zeros_like(real)) + bce(fake, ones_like(fake))) / 2, expectedD, $"DiscriminatorLoss for {name} swaps the labels: real examples have label 1, generated ones 0.");
                Mistakes.If(gotG, log(1 - fake.sigmoid()).mean(), expectedG, $"GeneratorLoss for {name} is the minimax loss log(1 - D(G(z))), which saturates: the non-saturating loss is -log D(G(z)), the cross-entropy with the real label.");
                Mistakes.If(gotG, -bce(fake, zeros_like(fake)), expectedG, $"GeneratorLoss for {name} is the minimax loss -BCE(fake, 0) = log(1 - D(G(z))), which saturates: use the cross-entropy with the real label.");
                Expect.Close(gotD, expectedD, $"DiscriminatorLoss for {name}");
                Expect.Close(gotG, expectedG, $"GeneratorLoss for {name}");
            }
            return "both losses match GanTrainer's: ln 2 when D answers ½, finite for logits of ±120, and the generator's stays steep when D wins.";
        });

    /// <summary>Exercise 07.2: predict the two losses when D answers 0.9 on real and 0.1 on generated examples, and at the equilibrium.</summary>
    /// <param name="lossDWinning">Predicted loss_D when D(x) = 0.9 and D(G(z)) = 0.1.</param>
    /// <param name="lossGWinning">Predicted loss_G in the same state.</param>
    /// <param name="lossAtEquilibrium">Predicted loss_D (= loss_G) when D answers ½ for everything.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict PredictLosses(double? lossDWinning, double? lossGWinning, double? lossAtEquilibrium) =>
        Exercise.Check("07.2", "predict the GAN losses", () =>
        {
            var d = Expect.Answered(lossDWinning, "predictedLossD");
            var gen = Expect.Answered(lossGWinning, "predictedLossG");
            var eq = Expect.Answered(lossAtEquilibrium, "predictedEquilibriumLoss");
            using var scope = NewDisposeScope();
            var bce = nn.functional.binary_cross_entropy;
            var (real, fake, half) = (tensor(0.9), tensor(0.1), tensor(0.5));
            var trueD = ((bce(real, ones_like(real)) + bce(fake, zeros_like(fake))) / 2).item<double>();
            var trueG = bce(fake, ones_like(fake)).item<double>();
            var trueEq = bce(half, ones_like(half)).item<double>();
            Mistakes.If(d, 2 * trueD, trueD, $"predictedLossD = {d} is the sum -ln 0.9 - ln 0.9: the chapter averages the two halves.");
            Mistakes.If(gen, -Math.Log(0.9), trueG, $"predictedLossG = {gen} is -ln 0.9: the generator's loss looks at D(G(z)) = 0.1, the fakes' score, with the real label.");
            Mistakes.If(gen, -Math.Log10(0.1), trueG, $"predictedLossG = {gen} uses log base 10: cross-entropy uses the natural log.");
            Mistakes.If(eq, 0.5, trueEq, "predictedEquilibriumLoss = 0.5 is D's answer, not the loss: the loss is -ln ½.");
            Mistakes.If(eq, Math.Log10(2), trueEq, $"predictedEquilibriumLoss = {eq} is log₁₀ 2: cross-entropy uses the natural log.");
            Mistakes.If(eq, 2 * Math.Log(2), trueEq, $"predictedEquilibriumLoss = {eq} = 2 ln 2 sums D's two halves: the chapter averages them.");
            Expect.Close(d, trueD, "predictedLossD (D(x) = 0.9, D(G(z)) = 0.1)", 1e-3, 1e-3);
            Expect.Close(gen, trueG, "predictedLossG (D(G(z)) = 0.1)", 1e-3, 1e-3);
            Expect.Close(eq, trueEq, "predictedEquilibriumLoss (D answers ½)", 1e-3, 1e-3);
            return $"loss_D = -½(ln 0.9 + ln 0.9) = {trueD:F4}, loss_G = -ln 0.1 = {trueG:F4}: a winning D means a large generator loss; at the equilibrium both are -ln ½ = ln 2 = {trueEq:F4}.";
        });

    /// <summary>Exercise 07.3: the output size of a transposed convolution, compared with <c>nn.ConvTranspose2d</c>.</summary>
    /// <param name="outputSize">The learner's <c>(input, kernel, stride, padding, outputPadding) → output size</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict ConvTransposeOutputSize(Func<int, int, int, int, int, int> outputSize) =>
        Exercise.Check("07.3", "a transposed convolution's output size", () =>
        {
            Expect.That(outputSize is not null, "pass your function: Chapter07Exercises.ConvTransposeOutputSize(ConvTransposeOutputSize).");
            var cases = new (int In, int K, int S, int P, int Op, string Name)[]
            {
                (1, 7, 1, 0, 0, "DCGAN's up1: 1x1 noise, kernel 7, stride 1, padding 0"),
                (7, 4, 2, 1, 0, "DCGAN's up2: 7x7, kernel 4, stride 2, padding 1"),
                (14, 4, 2, 1, 0, "DCGAN's up3: 14x14, kernel 4, stride 2, padding 1"),
                (5, 3, 1, 1, 0, "5x5, kernel 3, stride 1, padding 1"),
                (7, 3, 2, 1, 1, "7x7, kernel 3, stride 2, padding 1, output padding 1"),
            };
            foreach (var (input, k, s, p, op, name) in cases)
            {
                long truth;
                using (var scope = NewDisposeScope())
                {
                    var layer = Mistakes.Seeded(7, () => nn.ConvTranspose2d(1, 1, k, stride: s, padding: p, output_padding: op));
                    using (no_grad()) truth = layer.call(zeros(1, 1, input, input)).shape[^1];
                }
                var got = outputSize!(input, k, s, p, op);
                Mistakes.If(got, (input + 2 * p - k) / s + 1, truth, $"for {name} you gave {got}, a convolution's output size: a transposed convolution runs that formula backwards (solve it for the input size).", 0);
                Expect.Equal((long)got, truth, $"the output size for {name}");
            }
            return "your sizes match nn.ConvTranspose2d: (input - 1)·stride - 2·padding + kernel + outputPadding, 1 → 7 → 14 → 28 in the chapter's generator.";
        });

    /// <summary>Exercise 07.4: a DCGAN-style generator for 32x32 images: noise <c>(B, latentDim)</c> → images <c>(B, 1, 32, 32)</c> in [-1, 1].</summary>
    /// <param name="makeGenerator">The learner's constructor: latent size → generator.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict Generator32(Func<int, nn.Module<Tensor, Tensor>> makeGenerator) =>
        Exercise.Check("07.4", "a DCGAN generator for 32x32 images", () =>
        {
            Expect.That(makeGenerator is not null, "pass your constructor: Chapter07Exercises.Generator32(MakeGenerator32).");
            const int latent = 16;
            using var scope = NewDisposeScope();
            var generator = Mistakes.Seeded(7, () => makeGenerator!(latent));
            Expect.That(generator is not null, "MakeGenerator32 returned null: return your generator.");
            generator!.train();
            var z = randn(4, latent, generator: new Generator(7));
            var images = generator.call(z);
            Expect.Shape(images, [4, 1, 32, 32], $"your generator's output for noise of shape [4, {latent}]");
            var (low, high) = (images.min().item<float>(), images.max().item<float>());
            Expect.That(low >= -1 && high <= 1, $"your generator's pixels range from {low:G3} to {high:G3}: end with tanh so they lie in [-1, 1], like the real images.");
            var spread = (images[0] - images[1]).abs().max().item<float>();
            Expect.That(spread > 1e-4, "two different noise vectors gave the same image: the output must depend on z.");
            images.sum().backward();
            var unused = generator.named_parameters().Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0).Select(p => p.name).ToArray();
            Expect.That(unused.Length == 0, $"these parameters get no gradient: {string.Join(", ", unused)}. Every layer you build should be used in forward.");
            return "noise [4, 16] → images [4, 1, 32, 32] in [-1, 1] that depend on z, with a gradient reaching every parameter.";
        });

    /// <summary>
    /// Exercise 07.5: the toy GAN's learning rate (both players) for a fast, stable fit, and why. The check trains the chapter's
    /// toy GAN (linear G, tanh-MLP D on the affine-transformed Gaussian) for 300 rounds with the learner's rate and requires the
    /// generated covariance within 50% (relative) of the data's.
    /// </summary>
    /// <param name="learningRate">The learner's Adam learning rate for G and D (null: not answered yet).</param>
    /// <param name="explanation">What goes wrong with a rate much smaller or much larger.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict ToyGanLearningRate(double? learningRate, string explanation) =>
        Exercise.Check("07.5", "a learning rate for the toy GAN", () =>
        {
            var lr = Expect.Answered(learningRate, "toyLearningRate");
            Expect.That(lr > 0, $"toyLearningRate = {lr}: a learning rate is positive.");
            var covError = ToyGan(lr, 300);
            string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
            Expect.That(double.IsFinite(covError), $"at learning rate {lr} the toy GAN diverged: the two players overshoot each other. Try a smaller rate.");
            Expect.That(covError <= 0.5, $"at learning rate {lr}, after 300 rounds the generated covariance is {F(covError)} off the data's (relative; goal: at most 0.5)"
                + (covError is >= 0.9 and <= 1.05 ? ": the generator has hardly grown from its tiny initial weights. Too slow, try a larger rate." : ": the players overshoot each other. Try a smaller rate."));
            Expect.Written(explanation, "toyLearningRateExplanation", 8);
            return $"at learning rate {lr}, after 300 rounds the generated covariance is {F(covError)} off the data's (relative): the generator has grown to the data's spread. Compare your explanation with the solution.";
        });

    /// <summary>The chapter's toy GAN trained for <paramref name="rounds"/> rounds at one learning rate: the generated covariance's relative error (NaN if it diverged).</summary>
    internal static double ToyGan(double lr, int rounds) => Mistakes.Seeded(70, () =>   // every number below from `g`: repeatable even while other threads draw
    {
        using var scope = NewDisposeScope();
        var g = new Generator(70);
        var A = tensor(new float[,] { { 1, 2 }, { -0.1f, 0.5f } });
        var X = matmul(randn(1000, 2, generator: g), A) + tensor(new float[] { 1, 2 });
        var netG = new Mlp(new MlpConfig(Inputs: 2, Hidden: [], Outputs: 2));
        var netD = new Mlp(new MlpConfig(Inputs: 2, Hidden: [16, 16], Outputs: 1, Activation: "tanh"));
        using (no_grad()) foreach (var p in netG.parameters().Concat(netD.parameters())) p.copy_(randn(p.shape, generator: g) * 0.02);
        using var gan = new GanTrainer(netG, netD, new GanTrainerOptions
        {
            LatentDim = 2, GeneratorLearningRate = lr, DiscriminatorLearningRate = lr, Beta1 = 0.9, Beta2 = 0.999, ShowProgress = false,
        });
        var loader = new DataLoader(X, 32, shuffle: true, seed: 0);
        var (done, diverged) = (0, false);
        while (done < rounds && !diverged)
            foreach (var batch in loader)
            {
                var result = gan.Step(batch.Features, g);
                diverged = !double.IsFinite(result.LossD) || result.LossG is double lossG && !double.IsFinite(lossG);
                if (diverged || ++done == rounds) break;
            }
        if (diverged) return double.NaN;
        var S = gan.Sample(2000, g);
        return (double)((S.T.cov() - X.T.cov()).norm() / X.T.cov().norm()).item<float>();
    });
}
