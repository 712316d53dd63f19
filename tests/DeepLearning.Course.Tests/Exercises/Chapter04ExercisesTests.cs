using DeepLearning.Course.Exercises;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 04's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter04ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void Rnn_step_by_hand_is_checked_against_nn_RNN()
    {
        // Given the right step, the starter, and a step that forgot the tanh
        static Tensor Right(Tensor x, Tensor h, Tensor Wxh, Tensor Whh, Tensor b) => tanh(x.matmul(Wxh) + h.matmul(Whh) + b);
        static Tensor NoTanh(Tensor x, Tensor h, Tensor Wxh, Tensor Whh, Tensor b) => x.matmul(Wxh) + h.matmul(Whh) + b;
        static Tensor NoState(Tensor x, Tensor h, Tensor Wxh, Tensor Whh, Tensor b) => tanh(x.matmul(Wxh) + b);
        // Then each gets its verdict
        Assert.True(Chapter04Exercises.RnnStep(Right).Solved);
        Assert.Contains(Starter, Chapter04Exercises.RnnStep((_, _, _, _, _) => throw new NotImplementedException("exercise 04.1: your code here")).Message);
        Assert.Contains("without the tanh", Chapter04Exercises.RnnStep(NoTanh).Message);
        Assert.Contains("ignores the previous state h", Chapter04Exercises.RnnStep(NoState).Message);
    }

    [Theory]
    [InlineData(82_944L, true, "4 gates")]
    [InlineData(null, false, "predictedLstmParameters is still null")]
    [InlineData(20_736L, false, "one gate's worth")]
    [InlineData(81_920L, false, "no biases")]
    [InlineData(82_432L, false, "TorchSharp (like PyTorch) keeps two")]
    [InlineData(80_000L, false, "got 80000, expected 82944")]
    public void Lstm_parameter_prediction_is_compared_with_nn_LSTM(long? prediction, bool solved, string message)
    {
        var verdict = Chapter04Exercises.LstmParameters(prediction);
        Assert.Equal(solved, verdict.Solved);
        Assert.Contains(message, verdict.Message);
    }

    [Fact]
    public void Seasonal_naive_must_repeat_the_last_season_for_long_horizons()
    {
        // Given the right forecast, the chapter's narrow (fails past one season), and the naive forecast
        static Tensor Right(Tensor history, int season, int horizon)
        {
            var W = history.shape[1];
            var index = tensor(Enumerable.Range(0, horizon).Select(j => W - season + j % season).ToArray());
            return history.index_select(1, index);
        }
        static Tensor Narrow(Tensor history, int season, int horizon) => history.narrow(1, history.shape[1] - season, horizon);
        static Tensor Naive(Tensor history, int season, int horizon) => history.narrow(1, history.shape[1] - 1, 1).expand(-1, horizon);
        // Then
        Assert.True(Chapter04Exercises.SeasonalNaive(Right).Solved);
        Assert.Contains(Starter, Chapter04Exercises.SeasonalNaive((_, _, _) => throw new NotImplementedException()).Message);
        Assert.StartsWith("SeasonalNaive(history 2x9, season 4, horizon 10) threw", Chapter04Exercises.SeasonalNaive(Narrow).Message);
        Assert.Contains("that is the naive forecast", Chapter04Exercises.SeasonalNaive(Naive).Message);
    }

    [Fact]
    public void Clipping_uses_one_global_norm_returned_before_clipping()
    {
        // Given a right clipping, one that clips each tensor alone, and one that returns the norm after clipping
        static double Right(Tensor[] grads, double maxNorm)
        {
            var norm = Math.Sqrt(grads.Sum(g => g.square().sum().item<float>()));
            if (norm > maxNorm) foreach (var g in grads) g.mul_(maxNorm / norm);
            return norm;
        }
        static double PerTensor(Tensor[] grads, double maxNorm)
        {
            var total = Math.Sqrt(grads.Sum(g => g.square().sum().item<float>()));
            foreach (var g in grads) { var n = g.norm().item<float>(); if (n > maxNorm) g.mul_(maxNorm / n); }
            return total;
        }
        static double AfterClipping(Tensor[] grads, double maxNorm) { var n = Right(grads, maxNorm); return Math.Min(n, maxNorm); }
        static double DividesByZero(Tensor[] grads, double maxNorm)
        {
            var norm = Math.Sqrt(grads.Sum(g => g.square().sum().item<float>()));
            foreach (var g in grads) g.mul_(Math.Min(1, maxNorm / norm) * norm / norm);
            return norm;
        }
        // Then
        Assert.True(Chapter04Exercises.ClipGradNorm(Right).Solved);
        Assert.Contains(Starter, Chapter04Exercises.ClipGradNorm((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("each tensor was clipped on its own", Chapter04Exercises.ClipGradNorm(PerTensor).Message);
        Assert.Contains("you returned the norm after clipping", Chapter04Exercises.ClipGradNorm(AfterClipping).Message);
        Assert.StartsWith("gradient 1 after clipping, for all-zero gradients", Chapter04Exercises.ClipGradNorm(DividesByZero).Message);
    }

    [Fact]
    public void The_recurrent_gain_is_tried_with_the_chapters_probe_and_needs_an_explanation()
    {
        const string why = "Each step back multiplies the gradient by g, so after 30 steps it is about g to the 30th power.";
        Assert.True(Chapter04Exercises.RecurrentGain(1.0, why).Solved);
        Assert.Contains("recurrentGain is still null", Chapter04Exercises.RecurrentGain(null, "").Message);
        Assert.Contains("it explodes", Chapter04Exercises.RecurrentGain(1.5, why).Message);
        Assert.Contains("it vanishes", Chapter04Exercises.RecurrentGain(0.5, why).Message);
        Assert.Contains("recurrentGainExplanation is empty", Chapter04Exercises.RecurrentGain(1.0, "").Message);
    }
}
