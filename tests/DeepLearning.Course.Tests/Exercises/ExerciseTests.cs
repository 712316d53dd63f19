using DeepLearning.Course.Exercises;
using DeepLearning.Course.Platform;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

public class ExerciseTests
{
    [Fact]
    public void A_passing_check_is_correct_and_is_displayed_for_the_report()
    {
        // When a check confirms the learner's answer
        var verdict = Exercise.Check("00.1", "exercise tests: passing", () => "all 3 cases match");
        // Then it is solved, displayed as HTML, text and the exercise JSON the runner's report collects, and remembered
        Assert.True(verdict.Solved);
        Assert.Equal("all 3 cases match", verdict.Message);
        var shown = Kernel.Displayed.Single(d => ReferenceEquals(d.Value, verdict));
        Assert.Equal(["text/html", "text/plain", MetricsFormat.ExerciseMimeType], shown.MimeTypes);
        Assert.Equal("{\"id\":\"00.1\",\"title\":\"exercise tests: passing\",\"solved\":true,\"message\":\"all 3 cases match\"}",
            Formatter.ToDisplayString(verdict, MetricsFormat.ExerciseMimeType));
        Assert.Contains("correct", Formatter.ToDisplayString(verdict, "text/html"));
        Assert.Same(verdict, Exercise.Checked["00.1"]);
    }

    [Fact]
    public void An_untouched_starter_is_not_yet_with_what_to_do_and_no_stack_trace()
    {
        // Given the starter's function, still throwing
        static Tensor Starter(Tensor x) => throw new NotImplementedException("exercise 00.2: your code here");
        // When its check calls it
        var verdict = Exercise.Judge("00.2", "starter", () => { Starter(ones(2)); return "never"; });
        // Then the verdict says "not yet" and what to do, in one line
        Assert.False(verdict.Solved);
        Assert.Contains("replace the `throw` with your code", verdict.Message);
        Assert.DoesNotContain("\n", verdict.Message);
        Assert.StartsWith("Exercise 00.2 (starter): not yet — the starter still throws", verdict.ToString());
    }

    [Fact]
    public void An_exception_from_the_learners_code_becomes_one_line_naming_it()
    {
        var verdict = Exercise.Judge("00.3", "throws", () => throw new InvalidOperationException("index 5 is out of range\n   at Submission#3.F()"));
        Assert.False(verdict.Solved);
        Assert.Equal("your code threw InvalidOperationException: index 5 is out of range. Fix it, run that cell again, then this check.", verdict.Message);
    }

    [Fact]
    public void A_wrong_value_names_the_case_and_both_values()
    {
        // Given a learner's softmax that forgot to normalise
        static Tensor Softmax(Tensor x) => x.exp();
        var x = tensor(new[] { 1.0f, 2.0f, 3.0f });
        // When the check compares it with the right answer
        var verdict = Exercise.Judge("00.4", "softmax", () =>
        {
            Expect.Close(Softmax(x), x.softmax(0), "Softmax(x) for x = [1, 2, 3]");
            return "matches";
        });
        // Then the message names the first differing element and both values
        Assert.False(verdict.Solved);
        Assert.StartsWith("Softmax(x) for x = [1, 2, 3] differs at [0]: got 2.71828, expected 0.0900306 (3 of 3 elements differ)", verdict.Message);
    }

    [Fact]
    public void A_wrong_shape_is_reported_as_a_shape()
    {
        var verdict = Exercise.Judge("00.5", "shape", () =>
        {
            Expect.Close(zeros(2, 5), zeros(2, 3), "Linear(x)");
            return "matches";
        });
        Assert.Equal("Linear(x) has shape [2, 5], expected [2, 3].", verdict.Message);
    }

    [Fact]
    public void Unanswered_and_unwritten_answers_are_not_yet()
    {
        double? prediction = null;
        Assert.Equal("your prediction is still null: replace null with your answer and run that cell again.",
            Exercise.Judge("00.6", "predict", () => $"{Expect.Answered(prediction, "your prediction")}").Message);
        Assert.Contains("is empty", Exercise.Judge("00.7", "explain", () => Expect.Written("", "your explanation")).Message);
        Assert.Contains("only 2 word(s)", Exercise.Judge("00.8", "explain", () => Expect.Written("too short", "your explanation")).Message);
        Assert.True(Exercise.Judge("00.9", "explain", () => Expect.Written("the gap narrows because weights shrink", "your explanation")).Solved);
    }

    [Theory]
    [InlineData(1.0, 1.00005, true)]
    [InlineData(1.0, 1.01, false)]
    [InlineData(double.NaN, 1.0, false)]
    [InlineData(0.0, 1e-7, true)]
    public void Numbers_are_close_within_relative_and_absolute_tolerance(double actual, double expected, bool close)
    {
        var verdict = Exercise.Judge("00.10", "close", () => { Expect.Close(actual, expected, "the loss"); return "ok"; });
        Assert.Equal(close, verdict.Solved);
        if (!close) Assert.StartsWith("the loss: got ", verdict.Message);
    }

    [Fact]
    public void Equal_says_what_was_expected()
    {
        Assert.Equal("the number of weights: got 100, expected 110.",
            Exercise.Judge("00.11", "equal", () => { Expect.Equal(100L, 110L, "the number of weights"); return "ok"; }).Message);
    }

    [Fact]
    public void Parameter_counts_list_every_tensor_and_a_prediction_without_biases_is_named()
    {
        // Given a 3 -> 2 linear layer: 6 weights and 2 biases
        using var layer = nn.Linear(3, 2);

        // When / Then
        Assert.Equal("weight [2, 3] = 6, bias [2] = 2", Expect.DescribeParameters(layer));
        Assert.Equal("a layer has 8 parameters, expected 9. Its parameters: weight [2, 3] = 6, bias [2] = 2.",
            Exercise.Judge("00.12", "count", () => { Expect.ParameterCount(layer, 9, "a layer"); return "ok"; }).Message);
        Assert.Equal(8, Expect.PredictedParameterCount(8, layer, "predicted", "Count."));
        Assert.StartsWith("predicted: got 6, the model has 8. You counted the weights only",
            Exercise.Judge("00.13", "predict", () => $"{Expect.PredictedParameterCount(6, layer, "predicted", "Count.")}").Message);
    }

    [Fact]
    public void Nonlinear_rejects_stacked_linear_layers_and_accepts_a_relu_between_them()
    {
        // Given two linear layers with and without a ReLU between them
        manual_seed(0);
        using var linear = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 2));
        using var mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
        var (a, b) = (arange(8f).reshape(2, 4).sin(), arange(8f).reshape(2, 4).cos());

        // When / Then
        Assert.Contains("is linear in its input", Exercise.Judge("00.14", "linear", () => { Expect.Nonlinear(linear.call, a, b, "the stack"); return "ok"; }).Message);
        Assert.True(Exercise.Judge("00.15", "mlp", () => { Expect.Nonlinear(mlp.call, a, b, "the MLP"); return "ok"; }).Solved);
    }
}
