using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Runs a <see cref="Conv2d"/> with its output channels padded by zero filters to a multiple of
/// <see cref="ChannelBlock"/>, then keeps the real channels: the same output, and a correct gradient with respect to the
/// input. Why: on the CPU, libtorch 2.10 (TorchSharp 0.107) computes a convolution through oneDNN in channel blocks
/// of 16 (AVX-512; 8 on AVX2), and its backward pass to the <i>input</i> of a convolution with a kernel larger than
/// 1x1 is wrong when the output channels do not fill the last block: measured here (AMD EPYC, AVX-512, 2 threads,
/// against a float64 convolution), 16 → 1 channels gave a wrong input gradient in 11 of 20 calls (NaN in some),
/// 16 → 6 in 6 of 20 and 16 → 24 in 20 of 20, while 16 → 16 and 16 → 32 were exact in every call. The forward pass,
/// the weight gradient, 1x1 and transposed convolutions were right in every call, and a convolution whose output is
/// a single pixel takes another path (exact too).
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models): <see cref="UNet"/> calls every convolution through <see cref="Forward"/>,
/// so it trains correctly at any width (its 3x3 convolution to one output channel is the case that broke it). A
/// convolution whose input gradient is never needed (a network's first layer) does not need it. The extra filters cost
/// compute: 1 → 16 channels is a 16-channel convolution (still far cheaper than im2col and a matrix product).
/// </remarks>
public static class PaddedConvolution
{
    /// <summary>The channel block padded to: 16 (AVX-512's block; a multiple of AVX2's 8).</summary>
    public const int ChannelBlock = 16;

    /// <summary>True when <paramref name="conv"/> runs as it is: its output channels fill whole blocks, its kernel is 1x1,
    /// or it is grouped, padded by a mode other than zeros, or padded by name ("same"), which <see cref="Forward"/> leaves
    /// to TorchSharp.</summary>
    /// <param name="conv">The convolution.</param>
    /// <returns>Whether <see cref="Forward"/> calls it directly.</returns>
    public static bool RunsDirectly(Conv2d conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        return conv.out_channels % ChannelBlock == 0 || conv.kernel_size.All(k => k == 1) || conv.groups != 1
               || conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null;
    }

    /// <summary>The convolution's output, computed with its output channels padded to a multiple of
    /// <see cref="ChannelBlock"/> by zero filters (see the class summary); equal to <c>conv.call(x)</c>.</summary>
    /// <param name="conv">The convolution (its weight and bias are used, so it trains as usual).</param>
    /// <param name="x">Input <c>(B, in_channels, H, W)</c>.</param>
    /// <returns>Output <c>(B, out_channels, H', W')</c>.</returns>
    public static Tensor Forward(Conv2d conv, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(x);
        if (RunsDirectly(conv)) return conv.call(x);
        using var scope = NewDisposeScope();
        var weight = conv.weight!;                                                   // (O, I, kh, kw)
        var outChannels = weight.shape[0];
        var extra = ChannelBlock - outChannels % ChannelBlock;
        var padded = cat([weight, zeros([extra, .. weight.shape[1..]], dtype: weight.dtype, device: weight.device)], 0);   // (O + extra, I, kh, kw)
        var bias = conv.bias is null ? null : cat([conv.bias, zeros(extra, dtype: weight.dtype, device: weight.device)], 0);
        var y = nn.functional.conv2d(x, padded, bias, strides: conv.stride, padding: conv.padding, dilation: conv.dilation);
        return y.narrow(1, 0, outChannels).MoveToOuterDisposeScope();               // (B, O, H', W')
    }
}
