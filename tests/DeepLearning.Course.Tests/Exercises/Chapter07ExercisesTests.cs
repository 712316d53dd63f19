using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 07's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter07ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";
    private static readonly Func<Tensor, Tensor, Tensor> RightD = (real, fake) =>
        (nn.functional.binary_cross_entropy_with_logits(real, ones_like(real)) + nn.functional.binary_cross_entropy_with_logits(fake, zeros_like(fake))) / 2;
    private static readonly Func<Tensor, Tensor> RightG = fake => nn.functional.binary_cross_entropy_with_logits(fake, ones_like(fake));

    [Fact]
    public void The_GAN_losses_work_from_logits_and_the_generators_does_not_saturate()
    {
        Assert.True(Chapter07Exercises.GanLosses(RightD, RightG).Solved);
        Assert.Contains(Starter, Chapter07Exercises.GanLosses((_, _) => throw new NotImplementedException(), _ => throw new NotImplementedException()).Message);
        Assert.Contains("is the sum of the two halves", Chapter07Exercises.GanLosses((r, f) => RightD(r, f) * 2, RightG).Message);
        Assert.Contains("is the minimax loss", Chapter07Exercises.GanLosses(RightD, fake => log(1 - fake.sigmoid()).mean()).Message);
        Assert.Contains("log(sigmoid(x)) underflows", Chapter07Exercises.GanLosses(
            (r, f) => -(log(r.sigmoid()).mean() + log(1 - f.sigmoid()).mean()) / 2, fake => -log(fake.sigmoid()).mean()).Message);
    }

    [Fact]
    public void Loss_predictions_are_compared_with_the_cross_entropy()
    {
        Assert.True(Chapter07Exercises.PredictLosses(-Math.Log(0.9), -Math.Log(0.1), Math.Log(2)).Solved);
        Assert.Contains("predictedLossD is still null", Chapter07Exercises.PredictLosses(null, null, null).Message);
        Assert.Contains("is the sum -ln 0.9 - ln 0.9", Chapter07Exercises.PredictLosses(-2 * Math.Log(0.9), -Math.Log(0.1), Math.Log(2)).Message);
        Assert.Contains("is D's answer, not the loss", Chapter07Exercises.PredictLosses(-Math.Log(0.9), -Math.Log(0.1), 0.5).Message);
        Assert.Contains("predictedLossG (D(G(z)) = 0.1): got 2,", Chapter07Exercises.PredictLosses(-Math.Log(0.9), 2, Math.Log(2)).Message);
    }

    [Fact]
    public void The_transposed_convolution_size_is_compared_with_ConvTranspose2d()
    {
        Assert.True(Chapter07Exercises.ConvTransposeOutputSize((i, k, s, p, op) => (i - 1) * s - 2 * p + k + op).Solved);
        Assert.Contains(Starter, Chapter07Exercises.ConvTransposeOutputSize((_, _, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("a convolution's output size", Chapter07Exercises.ConvTransposeOutputSize((i, k, s, p, op) => (i + 2 * p - k) / s + 1).Message);
        Assert.Contains("output padding 1: got 13, expected 14", Chapter07Exercises.ConvTransposeOutputSize((i, k, s, p, op) => (i - 1) * s - 2 * p + k).Message);
    }

    [Fact]
    public void A_32_pixel_generator_has_the_shape_the_range_and_uses_every_layer()
    {
        static nn.Module<Tensor, Tensor> Right(int z, bool tanhAtEnd)
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>
            {
                ("unflatten", nn.Unflatten(1, [z, 1, 1])),
                ("up1", nn.ConvTranspose2d(z, 64, 4, stride: 1, padding: 0, bias: false)), ("bn1", nn.BatchNorm2d(64)), ("relu1", nn.ReLU()),  // 4
                ("up2", nn.ConvTranspose2d(64, 32, 4, stride: 2, padding: 1, bias: false)), ("bn2", nn.BatchNorm2d(32)), ("relu2", nn.ReLU()), // 8
                ("up3", nn.ConvTranspose2d(32, 16, 4, stride: 2, padding: 1, bias: false)), ("bn3", nn.BatchNorm2d(16)), ("relu3", nn.ReLU()), // 16
                ("up4", nn.ConvTranspose2d(16, 1, 4, stride: 2, padding: 1)),                                                                    // 32
            };
            if (tanhAtEnd) layers.Add(("tanh", nn.Tanh()));
            return nn.Sequential(layers);
        }
        Assert.True(Chapter07Exercises.Generator32(z => Right(z, tanhAtEnd: true)).Solved);
        Assert.Contains(Starter, Chapter07Exercises.Generator32(_ => throw new NotImplementedException()).Message);
        Assert.Contains("end with tanh", Chapter07Exercises.Generator32(z => Right(z, tanhAtEnd: false)).Message);
        Assert.Equal("your generator's output for noise of shape [4, 16] has shape [4, 1, 28, 28], expected [4, 1, 32, 32].",
            Chapter07Exercises.Generator32(z => new DcGanGenerator(new DcGanConfig(LatentDim: z))).Message);
    }

    [Fact]
    public void The_toy_GAN_learning_rate_is_tried_on_the_toy_problem_and_explained()
    {
        const string why = "Too small and the generator barely moves in 300 rounds; too large and the players overshoot.";
        Assert.True(Chapter07Exercises.ToyGanLearningRate(0.05, why).Solved);
        Assert.Contains("toyLearningRate is still null", Chapter07Exercises.ToyGanLearningRate(null, "").Message);
        Assert.Contains("Too slow, try a larger rate", Chapter07Exercises.ToyGanLearningRate(1e-3, why).Message);
        Assert.Contains("overshoot each other", Chapter07Exercises.ToyGanLearningRate(0.3, why).Message);
        Assert.Contains("toyLearningRateExplanation is empty", Chapter07Exercises.ToyGanLearningRate(0.05, "").Message);
    }
}
