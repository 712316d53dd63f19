using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// A residual block (He et al., 2016): two 3x3 convolutions with batch norm whose output is added
/// to the input, <c>y = relu(F(x) + shortcut(x))</c>. When the block changes the number of channels
/// or downsamples (<c>stride</c> &gt; 1), the shortcut is a 1x1 convolution with the same stride so the
/// two branches have the same shape; otherwise it is the identity.
/// </summary>
/// <remarks>Introduced in chapter 03 (CNN).</remarks>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _shortcut;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="stride">Stride of the first convolution (2 halves height and width).</param>
    public ResidualBlock(int inChannels, int outChannels, int stride = 1) : base(nameof(ResidualBlock))
    {
        _conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(outChannels);
        _conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            _shortcut = nn.Sequential(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels));
        RegisterComponents();
    }

    /// <summary>True when the shortcut is a 1x1 convolution rather than the identity.</summary>
    public bool HasProjection => _shortcut is not null;

    /// <summary>The block's output.</summary>
    /// <param name="x">Input <c>(B, Cin, H, W)</c>.</param>
    /// <returns>Output <c>(B, Cout, H / stride, W / stride)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.relu(_bn1.call(_conv1.call(x)));   // (B, Cout, H/s, W/s)
        y = _bn2.call(_conv2.call(y));                          // (B, Cout, H/s, W/s)
        var skip = _shortcut is null ? x : _shortcut.call(x);   // (B, Cout, H/s, W/s)
        return nn.functional.relu(y + skip);                    // (B, Cout, H/s, W/s)
    }
}
