using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class PaddedConvolutionTests
{
    /// <summary>Largest |a − reference| over the largest |reference|.</summary>
    private static double RelativeError(Tensor a, Tensor reference)
    {
        using var scope = NewDisposeScope();
        return ((a.to(float64) - reference).abs().max() / reference.abs().max()).item<double>();
    }

    [Theory]
    [InlineData(16, 1, 28, 3, 1, 1)]    // the U-Net's last convolution (width 16 → one grey channel)
    [InlineData(16, 6, 28, 3, 1, 1)]
    [InlineData(16, 24, 14, 3, 1, 1)]
    [InlineData(8, 8, 28, 3, 2, 1)]     // a width-8 U-Net's strided downsampling
    public void The_output_and_the_gradients_match_a_float64_convolution(int inChannels, int outChannels, int size, int kernel, int stride, int padding)
    {
        // Given a convolution whose output channels do not fill blocks of 16 (libtorch 2.10's oneDNN backward pass to the
        // input was wrong in 6 to 20 of 20 such calls on the 2-core AVX-512 machine) and a float64 copy of it
        manual_seed(outChannels);
        using var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding);
        Assert.False(PaddedConvolution.RunsDirectly(conv));
        using var weight64 = conv.weight!.detach().to(float64).requires_grad_();
        using var bias64 = conv.bias!.detach().to(float64).requires_grad_();
        for (var draw = 0; draw < 5; draw++)
        {
            using var scope = NewDisposeScope();
            conv.zero_grad();
            var x = randn(32, inChannels, size, size).requires_grad_();
            var x64 = x.detach().to(float64).requires_grad_();
            weight64.grad?.zero_();
            bias64.grad?.zero_();
            // When both run forward and backward with the same upstream gradient
            var y = PaddedConvolution.Forward(conv, x);
            var upstream = randn_like(y);
            (y * upstream).sum().backward();
            var y64 = nn.functional.conv2d(x64, weight64, bias64, strides: [stride, stride], padding: [padding, padding]);
            (y64 * upstream.to(float64)).sum().backward();
            // Then the output, the input gradient and the weight and bias gradients agree to float32 precision
            Assert.Equal(y64.shape, y.shape);
            Assert.True(RelativeError(y, y64) < 1e-5, $"draw {draw}: output off by {RelativeError(y, y64):E2}");
            Assert.True(RelativeError(x.grad!, x64.grad!) < 1e-5, $"draw {draw}: input gradient off by {RelativeError(x.grad!, x64.grad!):E2}");
            Assert.True(RelativeError(conv.weight!.grad!, weight64.grad!) < 1e-4, $"draw {draw}: weight gradient off by {RelativeError(conv.weight!.grad!, weight64.grad!):E2}");
            Assert.True(RelativeError(conv.bias!.grad!, bias64.grad!) < 1e-4, $"draw {draw}: bias gradient off by {RelativeError(conv.bias!.grad!, bias64.grad!):E2}");
        }
    }

    [Fact]
    public void Convolutions_that_fill_whole_blocks_or_are_1x1_run_as_they_are()
    {
        // Given convolutions to 16 and 32 channels, a 1x1 one to 3 channels, and a grouped one
        using var sixteen = nn.Conv2d(8, 16, 3, padding: 1);
        using var thirtyTwo = nn.Conv2d(16, 32, 3);
        using var pointwise = nn.Conv2d(16, 3, 1);
        using var grouped = nn.Conv2d(4, 6, 3, groups: 2);
        using var threeByThree = nn.Conv2d(16, 3, 3);
        // Then only the 3x3 one to 3 ungrouped channels is padded
        Assert.True(PaddedConvolution.RunsDirectly(sixteen));
        Assert.True(PaddedConvolution.RunsDirectly(thirtyTwo));
        Assert.True(PaddedConvolution.RunsDirectly(pointwise));
        Assert.True(PaddedConvolution.RunsDirectly(grouped));
        Assert.False(PaddedConvolution.RunsDirectly(threeByThree));
        // And a convolution without a bias is padded too, with the same result as calling it
        using var noBias = nn.Conv2d(16, 3, 3, padding: 1, bias: false);
        using var x = randn(2, 16, 8, 8);
        using var expected = noBias.call(x);
        using var actual = PaddedConvolution.Forward(noBias, x);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }
}
