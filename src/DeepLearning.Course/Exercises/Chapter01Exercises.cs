using System.Globalization;
using DeepLearning.Course.Data;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 01's exercises (machine-learning basics): softmax by hand, one gradient-descent step
/// predicted, the largest stable learning rate and the Hessian, a hidden layer for the digits classifier.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), section "Exercises": each method is one exercise\'s check cell.</remarks>
public static class Chapter01Exercises
{
    /// <summary>
    /// Exercise 01.1: a numerically stable softmax along each row, compared with <c>torch.softmax</c> on a row,
    /// a batch, equal logits and very large logits (where <c>exp</c> alone overflows).
    /// </summary>
    /// <param name="softmax">The learner's softmax: logits <c>(N, C)</c> to probabilities <c>(N, C)</c>.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict Softmax(Func<Tensor, Tensor> softmax) => Exercise.Check("01.1", "softmax by hand", () =>
    {
        ArgumentNullException.ThrowIfNull(softmax);
        using var scope = NewDisposeScope();
        var cases = new (string What, Tensor X)[]
        {
            ("x = [[1, 2, 3]]", tensor(new double[,] { { 1, 2, 3 } })),
            ("x of shape [3, 5] (three rows)", arange(15, dtype: float64).reshape(3, 5).sin() * 3),
            ("x = [[0, 0, 0, 0]] (equal logits)", zeros(1, 4, dtype: float64)),
            ("x = [[1000, 1001, 1002]] (large logits)", tensor(new double[,] { { 1000, 1001, 1002 } })),
        };
        foreach (var (what, x) in cases)
        {
            var got = softmax(x);
            Expect.Shape(got, x.shape, $"Softmax({what})");
            var bad = got.isnan().any().item<bool>() || got.isinf().any().item<bool>();
            Expect.That(!bad, $"Softmax({what}) contains NaN or infinity: exp(1000) overflows. Subtract each row's maximum before exp (softmax(x) = softmax(x − max x)), then normalise.");
            var rowSums = got.to(float64).sum(1);
            var worst = (rowSums - 1).abs().argmax().item<long>();
            Expect.That((rowSums - 1).abs().max().item<double>() < 1e-6,
                $"Softmax({what}): row {worst} sums to {rowSums[worst].item<double>().ToString("G6", CultureInfo.InvariantCulture)}, but every row of probabilities must sum to 1: divide each row's exponentials by that row's sum (sum over dim 1, keepdim: true).");
            Expect.Close(got, x.softmax(1), $"Softmax({what})");
        }
        return "matches torch.softmax row by row on 4 cases, including equal logits and logits of 1000 (no overflow).";
    });

    /// <summary>
    /// Exercise 01.2: predict the bias after one full-batch gradient-descent step from θ = 0 on the mean squared
    /// error; the check takes the step and compares.
    /// </summary>
    /// <param name="predictedBias">The learner's prediction (null until answered).</param>
    /// <param name="A">The design matrix with the column of ones first, <c>(n, 3)</c>.</param>
    /// <param name="y">The targets, <c>(n)</c>.</param>
    /// <param name="lr">The learning rate of the step.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict OneStepBias(double? predictedBias, Tensor A, Tensor y, double lr) => Exercise.Check("01.2", "predict one gradient-descent step", () =>
    {
        ArgumentNullException.ThrowIfNull(A);
        ArgumentNullException.ThrowIfNull(y);
        var prediction = Expect.Answered(predictedBias, "predictedBias");
        using var scope = NewDisposeScope();
        var theta = zeros(A.shape[1], dtype: A.dtype, requires_grad: true);
        (A.matmul(theta) - y).square().mean().backward();
        var truth = -lr * theta.grad![0].item<double>();
        var meanY = y.mean().to(float64).item<double>();
        if (Math.Abs(prediction - truth) > 0.01 * Math.Abs(truth))
        {
            var hint = Math.Abs(prediction - truth / 2) <= 0.01 * Math.Abs(truth / 2)
                ? " Your value is half of it: the derivative of (ŷ − y)² is 2(ŷ − y), keep the 2."
                : Math.Abs(prediction + truth) <= 0.01 * Math.Abs(truth) ? " Your sign is flipped: the step goes against the gradient." : "";
            throw new NotYetException($"predictedBias: got {Show(prediction)}, one step with learning rate {Show(lr)} from θ = 0 gives {Show(truth)}. "
                + $"At θ = 0 every prediction is 0, so the bias' gradient is (2/n)·Σ(0 − yᵢ) = −2·mean(y), with mean(y) = {Show(meanY)}.{hint}");
        }
        return $"one step moves the bias from 0 to −lr·(−2·mean(y)) = 2 × {Show(lr)} × {Show(meanY)} = {Show(truth)}.";
    });

    /// <summary>
    /// Exercise 01.3: the largest learning rate at which full-batch gradient descent on the mean squared error still
    /// converges (2 / λ_max of the Hessian <c>2/n·AᵀA</c>), shown by running gradient descent just below and just
    /// above the learner's value, and a written explanation.
    /// </summary>
    /// <param name="largestStableLr">The learner's learning rate (null until answered).</param>
    /// <param name="explanation">The learner's explanation.</param>
    /// <param name="A">The design matrix, <c>(n, d)</c>.</param>
    /// <param name="y">The targets, <c>(n)</c>.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict LargestStableLearningRate(double? largestStableLr, string? explanation, Tensor A, Tensor y) =>
        Exercise.Check("01.3", "the learning rate where gradient descent diverges", () =>
        {
            ArgumentNullException.ThrowIfNull(A);
            ArgumentNullException.ThrowIfNull(y);
            var lr = Expect.Answered(largestStableLr, "largestStableLr");
            Expect.That(double.IsFinite(lr) && lr > 0, $"largestStableLr is {Show(lr)}: a learning rate is a positive number.");
            using var scope = NewDisposeScope();
            var (a, t) = (A.detach().to(float64), y.detach().to(float64));
            var n = a.shape[0];
            var lambdaMax = linalg.eigvalsh(2.0 / n * a.t().matmul(a)).max().item<double>();
            var critical = 2 / lambdaMax;
            var below = Descend(a, t, 0.9 * lr);
            var above = Descend(a, t, 1.1 * lr);
            if (above.Converged)
                throw new NotYetException($"largestStableLr = {Show(lr)} is too small: 200 steps at 1.1 × it ({Show(1.1 * lr)}) still converge (loss {Show(above.Loss)}). Try larger rates, or compute it from the Hessian 2/n·AᵀA.");
            if (!below.Converged)
                throw new NotYetException($"largestStableLr = {Show(lr)} is too large: 200 steps at 0.9 × it ({Show(0.9 * lr)}) diverge (loss {Show(below.Loss)}). Try smaller rates, or compute it from the Hessian 2/n·AᵀA.");
            Expect.Written(explanation, "explanation");
            return $"gradient descent converges below and diverges above your {Show(lr)}; the boundary is 2 / λ_max = {Show(critical)}, λ_max = {Show(lambdaMax)} "
                + "being the largest eigenvalue of the Hessian 2/n·AᵀA: along that direction each step multiplies the error by (1 − lr·λ_max), which exceeds 1 in size once lr > 2/λ_max.";
        });

    /// <summary>
    /// Exercise 01.4: extend softmax regression with a hidden layer. The check builds the learner's model (seed 0),
    /// checks its output shape, that it has more parameters than softmax regression and is not linear, then trains it
    /// for 20 epochs with Adam on the digits and requires at least 0.94 test accuracy.
    /// </summary>
    /// <param name="makeModel">Builds the learner's model: 64 pixel values in, 10 logits out.</param>
    /// <param name="digits">The chapter's digits, flattened to 64 features.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict HiddenLayer(Func<nn.Module<Tensor, Tensor>> makeModel, ClassificationData digits) =>
        Exercise.Check("01.4", "a hidden layer for the digits", () =>
        {
            ArgumentNullException.ThrowIfNull(makeModel);
            ArgumentNullException.ThrowIfNull(digits);
            manual_seed(0);
            var model = makeModel();
            Expect.That(model is not null, "DigitsModel() returned null: return a module, e.g. torch.nn.Sequential(...).");
            var count = Expect.CountParameters(model!);
            Expect.That(count > 650, $"your model has {count:N0} parameters, no more than softmax regression's 650 (64 × 10 + 10): add a hidden layer. Its parameters: {Expect.DescribeParameters(model!)}.");
            model!.eval();
            using (var scope = NewDisposeScope())
            {
                var x = digits.Test.Features.narrow(0, 0, 5);
                Expect.Shape(model.call(x), [5, 10], "your model(x) for x of shape [5, 64]");
                Expect.Nonlinear(model.call, digits.Test.Features.narrow(0, 0, 5), digits.Test.Features.narrow(0, 5, 5), "your model");
            }
            var trainer = new Trainer(new TrainerOptions
            {
                Epochs = 20, LearningRate = 1e-2, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy,
                Metrics = [Metric.Accuracy], ShowProgress = false,
            });
            trainer.Fit(model, digits.Train.Batches(64, shuffle: true, seed: 0));
            var accuracy = trainer.Evaluate(model, digits.Test.Batches(256))["accuracy"];
            Expect.That(accuracy >= 0.94, $"after 20 epochs of Adam (lr 0.01) your model reaches test accuracy {Show(accuracy)}, expected at least 0.94 (softmax regression: about 0.956). Try a wider hidden layer (e.g. 64 units) with ReLU.");
            return $"{count:N0} parameters, [5, 64] → [5, 10], nonlinear; after 20 epochs of Adam its test accuracy is {Show(accuracy)} (softmax regression: about 0.956).";
        });

    private static (bool Converged, double Loss) Descend(Tensor A, Tensor y, double lr)
    {
        using var scope = NewDisposeScope();
        var theta = zeros(A.shape[1], dtype: float64);
        var n = A.shape[0];
        var start = y.square().mean().item<double>();
        for (var step = 0; step < 200; step++)
            theta = theta - lr * (2.0 / n) * A.t().matmul(A.matmul(theta) - y);
        var loss = (A.matmul(theta) - y).square().mean().item<double>();
        return (double.IsFinite(loss) && loss < start, loss);
    }

    private static string Show(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
