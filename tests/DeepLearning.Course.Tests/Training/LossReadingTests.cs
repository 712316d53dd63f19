using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class LossReadingTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.BFloat16)]
    public void A_loss_of_any_floating_dtype_reads_as_its_value(ScalarType dtype)
    {
        // Given a scalar loss that still requires grad
        var w = tensor(new[] { 1.5 }, dtype: dtype).requires_grad_(true);
        var loss = (w * 2).sum();
        // When it is read the way the Trainer reads it
        var value = StepContext.ReadLoss(loss);
        // Then it is the value, whatever the dtype
        Assert.Equal(3.0, value, 2);
    }

    [Fact]
    public void Mse_reshapes_and_converts_the_target_only_when_needed()
    {
        // Given predictions [4, 1] and float64 targets [4] (a mismatch) and matching float32 targets [4, 1]
        var yHat = tensor(new float[] { 1, 2, 3, 4 }).reshape(4, 1);
        var mismatched = tensor(new double[] { 1, 2, 3, 6 });
        var matching = tensor(new float[] { 1, 2, 3, 6 }).reshape(4, 1);
        // When the library's MSE compares them
        var a = Losses.Mse(yHat, mismatched).item<float>();
        var b = Losses.Mse(yHat, matching).item<float>();
        // Then both give the same mean squared error: (6 - 4)^2 / 4 = 1
        Assert.Equal(1f, a, 5);
        Assert.Equal(1f, b, 5);
    }
}
