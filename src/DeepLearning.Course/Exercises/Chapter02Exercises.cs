using System.Globalization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 02's exercises (multilayer perceptrons): a linear layer's forward pass by hand, an MLP's
/// parameter count predicted, dropout in training and evaluation, a deeper MLP.
/// </summary>
/// <remarks>Introduced in chapter 02 (MLPs), section "Exercises": each method is one exercise\'s check cell.</remarks>
public static class Chapter02Exercises
{
    /// <summary>
    /// Exercise 02.1: the forward pass of <c>torch.nn.Linear</c> by hand, <c>X Wᵀ + b</c> with <c>W</c> stored as
    /// <c>(out, in)</c>, compared with <c>torch.nn.functional.linear</c> on a square weight (first: forgetting the
    /// transpose still runs there and gets its own message), a batch, a batch of one and a 3-D input.
    /// </summary>
    /// <param name="linear">The learner's function: <c>(X, W, b)</c> to the layer's output.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict LinearForward(Func<Tensor, Tensor, Tensor, Tensor> linear) => Exercise.Check("02.1", "a linear layer's forward pass", () =>
    {
        ArgumentNullException.ThrowIfNull(linear);
        using var scope = NewDisposeScope();
        static Tensor Values(params long[] shape) => (arange(shape.Aggregate(1L, (a, b) => a * b), dtype: float32) * 0.7f).sin().reshape(shape);
        var cases = new (string What, Tensor X, Tensor W, Tensor B)[]
        {
            // The square weight first: X.matmul(W) runs there, and TorchSharp 0.107 ends the process on a matmul of
            // mismatched shapes instead of throwing, so the transpose mistake must be caught before the other cases.
            ("X [2, 3], W [3, 3] (square), b [3]", Values(2, 3), Values(3, 3) * 2 + Values(3, 3).t(), Values(3) + 2),
            ("X [4, 3], W [2, 3], b [2]", Values(4, 3), Values(2, 3) + 0.5f, Values(2) - 1),
            ("X [1, 5] (a batch of one), W [3, 5], b [3]", Values(1, 5), Values(3, 5).cos(), Values(3)),
            ("X [2, 4, 3] (a batch of sequences), W [5, 3], b [5]", Values(2, 4, 3), Values(5, 3).cos(), Values(5)),
        };
        foreach (var (what, x, w, b) in cases)
        {
            Tensor got;
            try
            {
                got = linear(x, w, b);
            }
            catch (Exception e) when (e is not NotImplementedException && e.Message.Contains("shape", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotYetException($"Linear({what}) threw: {e.Message.Split('\n')[0].Trim()} — W is stored as (out, in), as in torch.nn.Linear: multiply X by W.t().");
            }
            var expected = nn.functional.linear(x, w, b);
            if (got is not null && got.shape.SequenceEqual(expected.shape) && !got.allclose(expected, 1e-4, 1e-5))
            {
                if (got.allclose(x.matmul(w.t()), 1e-4, 1e-5))
                    throw new NotYetException($"Linear({what}) equals X·Wᵀ without the bias: add b.");
                if (w.shape[0] == w.shape[1] && got.allclose(x.matmul(w) + b, 1e-4, 1e-5))
                    throw new NotYetException($"Linear({what}) equals X·W + b: W is stored as (out, in), as in torch.nn.Linear, so the layer computes X·Wᵀ + b.");
            }
            Expect.Close(got, expected, $"Linear({what})");
        }
        return "matches torch.nn.functional.linear on 4 cases: a square weight, a batch, a batch of one and a 3-D input.";
    });

    /// <summary>
    /// Exercise 02.2: predict the number of parameters of an MLP before counting them; the message explains the count
    /// layer by layer.
    /// </summary>
    /// <param name="predictedParameters">The learner's prediction (null until answered).</param>
    /// <param name="model">The model whose parameters are counted (the chapter's Fashion-MNIST MLP).</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict MlpParameters(long? predictedParameters, nn.Module model) => Exercise.Check("02.2", "predict an MLP's parameter count", () =>
    {
        var actual = Expect.PredictedParameterCount(predictedParameters, model, "predictedParameters",
            "Each Linear(in, out) holds in × out weights and out biases; ReLU and dropout have none.");
        return $"{actual:N0} parameters: {Expect.DescribeParameters(model)}.";
    });

    /// <summary>
    /// Exercise 02.3: dropout that zeroes 30% of activations in training, the value a surviving activation of 1 takes,
    /// and an explanation of why evaluation needs no rescaling; measured on 100,000 ones with seed 0.
    /// </summary>
    /// <param name="dropoutP">The learner's dropout probability.</param>
    /// <param name="survivorValue">The learner's prediction of what a surviving 1.0 becomes in training (null until answered).</param>
    /// <param name="explanation">The learner's explanation.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict Dropout(double dropoutP, double? survivorValue, string? explanation) => Exercise.Check("02.3", "dropout in training and evaluation", () =>
    {
        Expect.That(dropoutP >= 0 && dropoutP < 1, $"dropoutP is {Show(dropoutP)}: a dropout probability is at least 0 and below 1.");
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var dropout = nn.Dropout(dropoutP);
        var x = ones(100_000);
        dropout.train();
        var trained = dropout.call(x);
        var zeroed = trained.eq(0).to(float64).mean().item<double>();
        Expect.That(Math.Abs(zeroed - 0.3) < 0.01, $"with dropoutP = {Show(dropoutP)}, training-mode dropout zeroed {zeroed:P1} of 100,000 activations; the task asks for 30%.");
        var survivor = trained.max().item<float>();
        var mean = trained.mean().item<float>();
        var predicted = Expect.Answered(survivorValue, "survivorValue");
        Expect.That(Math.Abs(predicted - survivor) < 1e-3 * survivor,
            $"survivorValue: got {Show(predicted)}, but a surviving 1.0 becomes {Show(survivor)}. Dropout keeps the expected value: the mean of the output is still {Show(mean)}.");
        dropout.eval();
        Expect.That(dropout.call(x).eq(x).all().item<bool>(), "in evaluation mode dropout should pass its input through unchanged.");
        Expect.Written(explanation, "dropoutExplanation");
        return $"p = {Show(dropoutP)} zeroes {zeroed:P1} in training and scales the survivors to 1/(1 − p) = {Show(survivor)}, so the mean stays {Show(mean)}; "
            + "in evaluation the input passes unchanged, already at the right scale.";
    });

    /// <summary>
    /// Exercise 02.4: extend the chapter's one-hidden-layer MLP to two hidden layers, 784 → 256 → 128 → 10 with ReLU;
    /// the check (seed 0) requires images <c>(B, 1, 28, 28)</c> in and logits <c>(B, 10)</c> out, exactly 235,146
    /// parameters, a nonlinear model and a training loss that falls on one batch.
    /// </summary>
    /// <param name="makeModel">Builds the learner's model.</param>
    /// <returns>The verdict (also displayed).</returns>
    public static ExerciseVerdict DeeperMlp(Func<nn.Module<Tensor, Tensor>> makeModel) => Exercise.Check("02.4", "a deeper MLP", () =>
    {
        ArgumentNullException.ThrowIfNull(makeModel);
        manual_seed(0);
        var model = makeModel();
        Expect.That(model is not null, "DeeperMlp() returned null: return a module, e.g. torch.nn.Sequential(...).");
        using var scope = NewDisposeScope();
        var x = (arange(3 * 784, dtype: float32) * 0.37f).sin().abs().reshape(3, 1, 28, 28);
        Tensor output;
        try
        {
            output = model!.call(x);
        }
        catch (Exception e) when (e is not NotImplementedException)
        {
            throw new NotYetException($"your model threw on images of shape [3, 1, 28, 28]: {e.Message.Split('\n')[0].Trim()} — start with torch.nn.Flatten() to turn each image into 784 values.");
        }
        Expect.Shape(output, [3, 10], "your model(x) for x of shape [3, 1, 28, 28]");
        Expect.ParameterCount(model!, 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, "your model (784 → 256 → 128 → 10)");
        model!.eval();
        Expect.Nonlinear(model.call, x, x.flip(0), "your model");
        model.train();
        var y = tensor(new long[] { 0, 3, 7 });
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var losses = new List<double>();
        for (var step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            losses.Add(loss.item<float>());
            loss.backward();
            optimizer.step();
        }
        Expect.That(losses[^1] < losses[0] / 2, $"20 Adam steps on one batch took the loss from {Show(losses[0])} only to {Show(losses[^1])}: the model should fit three images easily.");
        return $"[3, 1, 28, 28] → [3, 10], {Expect.CountParameters(model):N0} parameters, nonlinear; 20 Adam steps on one batch take the loss from {Show(losses[0])} to {Show(losses[^1])}.";
    });

    private static string Show(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
