using System.Globalization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The assertions exercise checks are written with. Each throws <see cref="NotYetException"/> with a message a
/// learner can act on — which case, what was expected, what came out — and returns normally when the case holds.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), with the chapter's checked exercises.</remarks>
public static class Expect
{
    /// <summary>Requires the learner to have given an answer (the starter's <c>null</c> replaced).</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="answer">The learner's answer.</param>
    /// <param name="what">What the answer is, e.g. "your predicted number of weights".</param>
    /// <returns>The answer, no longer nullable.</returns>
    /// <exception cref="NotYetException">The answer is still <c>null</c>.</exception>
    public static T Answered<T>(T? answer, string what) where T : struct =>
        answer ?? throw new NotYetException($"{what} is still null: replace null with your answer and run that cell again.");

    /// <summary>Requires a written answer (the starter's empty string replaced by a sentence or more).</summary>
    /// <param name="answer">The learner's text.</param>
    /// <param name="what">What the text should say, e.g. "your explanation".</param>
    /// <param name="minimumWords">The fewest words that count as an answer.</param>
    /// <returns>The trimmed text.</returns>
    /// <exception cref="NotYetException">The text is empty or shorter than <paramref name="minimumWords"/> words.</exception>
    public static string Written(string? answer, string what, int minimumWords = 5)
    {
        var text = answer?.Trim() ?? "";
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (words < minimumWords)
            throw new NotYetException($"{what} is {(words == 0 ? "empty" : $"only {words} word(s)")}: write at least {minimumWords} words, then compare with the solution.");
        return text;
    }

    /// <summary>Requires a condition, with the learner-facing message for when it does not hold.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="message">What is wrong when it does not hold.</param>
    /// <exception cref="NotYetException">The condition is false.</exception>
    public static void That(bool condition, string message)
    {
        if (!condition) throw new NotYetException(message);
    }

    /// <summary>Requires two values to be equal.</summary>
    /// <typeparam name="T">The values' type.</typeparam>
    /// <param name="actual">What the learner's code or answer gave.</param>
    /// <param name="expected">The right value.</param>
    /// <param name="what">What the value is, e.g. "the number of weights".</param>
    /// <exception cref="NotYetException">They differ.</exception>
    public static void Equal<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
            throw new NotYetException($"{what}: got {Show(actual)}, expected {Show(expected)}.");
    }

    /// <summary>Requires a number within a relative and absolute tolerance of the right one.</summary>
    /// <param name="actual">What the learner's code or answer gave.</param>
    /// <param name="expected">The right value.</param>
    /// <param name="what">What the value is.</param>
    /// <param name="relative">Allowed relative difference.</param>
    /// <param name="absolute">Allowed absolute difference (for values near zero).</param>
    /// <exception cref="NotYetException">It is NaN, infinite, or too far from <paramref name="expected"/>.</exception>
    public static void Close(double actual, double expected, string what, double relative = 1e-4, double absolute = 1e-6)
    {
        if (!double.IsFinite(actual))
            throw new NotYetException($"{what}: got {Show(actual)}, expected {Show(expected)}.");
        if (Math.Abs(actual - expected) > absolute + relative * Math.Abs(expected))
            throw new NotYetException($"{what}: got {Show(actual)}, expected {Show(expected)} (tolerance {Show(absolute + relative * Math.Abs(expected))}).");
    }

    /// <summary>Requires a tensor of the given shape.</summary>
    /// <param name="actual">The learner's tensor (null counts as wrong).</param>
    /// <param name="expected">The right shape.</param>
    /// <param name="what">What the tensor is, e.g. "MeanSquaredError(p, y) for p, y of shape [5]".</param>
    /// <exception cref="NotYetException">The tensor is null or its shape differs.</exception>
    public static void Shape(Tensor? actual, long[] expected, string what)
    {
        if (actual is null) throw new NotYetException($"{what} returned null, expected a tensor of shape {Shape(expected)}.");
        if (!actual.shape.SequenceEqual(expected))
            throw new NotYetException($"{what} has shape {Shape(actual.shape)}, expected {Shape(expected)}.");
    }

    /// <summary>
    /// Requires a tensor to match the right one: same shape, then every element within tolerance; the message names
    /// the first element that differs and its two values.
    /// </summary>
    /// <param name="actual">The learner's tensor.</param>
    /// <param name="expected">The right tensor.</param>
    /// <param name="what">What the tensor is, with its input, e.g. "Softmax(x) for x = [[1, 2, 3]]".</param>
    /// <param name="relative">Allowed relative difference per element.</param>
    /// <param name="absolute">Allowed absolute difference per element.</param>
    /// <exception cref="NotYetException">Shape or values differ, or the tensor holds NaN.</exception>
    public static void Close(Tensor? actual, Tensor expected, string what, double relative = 1e-4, double absolute = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Shape(actual, expected.shape, what);
        using var scope = NewDisposeScope();
        var a = actual!.detach().to(float64).cpu().flatten();
        var e = expected.detach().to(float64).cpu().flatten();
        var tooFar = (a - e).abs() > absolute + relative * e.abs();
        var bad = tooFar.logical_or(a.isnan()).nonzero();
        if (bad.shape[0] == 0) return;
        var flat = bad[0, 0].item<long>();
        var index = Unravel(flat, expected.shape);
        throw new NotYetException($"{what} differs at {Shape(index)}: got {Show(a[flat].item<double>())}, expected {Show(e[flat].item<double>())}"
            + (bad.shape[0] > 1 ? $" ({bad.shape[0]} of {e.shape[0]} elements differ)." : "."));
    }

    /// <summary>
    /// Requires a module with exactly <paramref name="expected"/> trainable numbers; the message lists every
    /// parameter tensor with its shape and size, so the learner sees which layer is off.
    /// </summary>
    /// <param name="module">The learner's module.</param>
    /// <param name="expected">The right number of parameters.</param>
    /// <param name="what">What the module is, e.g. "your MLP".</param>
    /// <exception cref="NotYetException">The count differs.</exception>
    public static void ParameterCount(nn.Module module, long expected, string what)
    {
        ArgumentNullException.ThrowIfNull(module);
        var actual = CountParameters(module);
        if (actual != expected)
            throw new NotYetException($"{what} has {actual:N0} parameters, expected {expected:N0}. Its parameters: {DescribeParameters(module)}.");
    }

    /// <summary>
    /// Requires a learner's predicted parameter count to be the module's: the message gives the true count, says
    /// when only the biases were left out, states <paramref name="rule"/> and lists every parameter tensor.
    /// </summary>
    /// <param name="predicted">The learner's prediction (the starter's <c>null</c> counts as unanswered).</param>
    /// <param name="module">The module whose parameters are counted.</param>
    /// <param name="what">The name of the learner's variable, e.g. "predictedParameters".</param>
    /// <param name="rule">How to count, e.g. "A Linear(in, out) holds in × out weights and out biases."</param>
    /// <returns>The true count.</returns>
    /// <exception cref="NotYetException">The prediction is missing or differs.</exception>
    public static long PredictedParameterCount(long? predicted, nn.Module module, string what, string rule)
    {
        ArgumentNullException.ThrowIfNull(module);
        var prediction = Answered(predicted, what);
        var actual = CountParameters(module);
        if (prediction == actual) return actual;
        var biases = module.named_parameters().Where(p => p.name.EndsWith("bias", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        var hint = prediction == actual - biases ? " You counted the weights only: every layer also has one bias per output." : "";
        throw new NotYetException($"{what}: got {prediction.ToString("N0", CultureInfo.InvariantCulture)}, the model has {actual.ToString("N0", CultureInfo.InvariantCulture)}.{hint} {rule} Its parameters: {DescribeParameters(module)}.");
    }

    /// <summary>The number of trainable numbers in a module (every parameter tensor's element count, summed).</summary>
    /// <param name="module">The module.</param>
    /// <returns>The count.</returns>
    public static long CountParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Sum(p => p.numel());
    }

    /// <summary>Every parameter tensor of a module as the messages list it: <c>fc1.weight [10, 64] = 640, …</c>.</summary>
    /// <param name="module">The module.</param>
    /// <returns>The list, comma-separated.</returns>
    public static string DescribeParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var parts = module.named_parameters().Select(p => $"{p.name} {Shape(p.parameter.shape)} = {p.parameter.numel().ToString("N0", CultureInfo.InvariantCulture)}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>
    /// Requires a function that is not linear in its input: a linear (or affine) map satisfies
    /// <c>f(a + b) − f(a) − f(b) + f(0) = 0</c>, so a model whose layers have no nonlinearity between them fails.
    /// </summary>
    /// <param name="f">The learner's function or model's forward (in eval mode, so dropout is off).</param>
    /// <param name="a">One input.</param>
    /// <param name="b">Another input of the same shape.</param>
    /// <param name="what">What the function is, e.g. "your model".</param>
    /// <exception cref="NotYetException">The function is affine on these inputs.</exception>
    public static void Nonlinear(Func<Tensor, Tensor> f, Tensor a, Tensor b, string what)
    {
        ArgumentNullException.ThrowIfNull(f);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gap = (f(a + b) - f(a) - f(b) + f(zeros_like(a))).abs().max().to(float64).item<double>();
        var size = f(a + b).abs().max().to(float64).item<double>();
        if (gap <= 1e-4 * Math.Max(1, size))
            throw new NotYetException($"{what} is linear in its input (f(a + b) = f(a) + f(b) − f(0)): stacked linear layers collapse into one; put a nonlinearity such as torch.nn.ReLU() between them.");
    }

    /// <summary>A shape as the messages write it: <c>[2, 3]</c>.</summary>
    /// <param name="shape">The sizes.</param>
    /// <returns>The text.</returns>
    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
