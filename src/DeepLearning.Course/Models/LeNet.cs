using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of <see cref="LeNet"/> (defaults: LeNet-5 as published, on 28x28 inputs).</summary>
/// <param name="InChannels">Input channels (1 for grey images).</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Conv1Channels">Feature maps of the first convolution (6 in the paper).</param>
/// <param name="Conv2Channels">Feature maps of the second convolution (16 in the paper).</param>
/// <param name="Hidden1">Units of the first fully connected layer (120).</param>
/// <param name="Hidden2">Units of the second fully connected layer (84).</param>
/// <remarks>Introduced in chapter 03 (CNN).</remarks>
public sealed record LeNetConfig(int InChannels = 1, int Classes = 10, int Conv1Channels = 6, int Conv2Channels = 16, int Hidden1 = 120, int Hidden2 = 84);

/// <summary>
/// LeNet-5 (LeCun et al., 1998) as d2l presents it: two 5x5 convolutions with sigmoid activations
/// and 2x2 average pooling, then three fully connected layers. The first convolution pads by 2 so a
/// 28x28 Fashion-MNIST image gives the paper's 32x32 geometry; the output is one logit per class.
/// </summary>
/// <remarks>Introduced in chapter 03 (CNN), as the baseline the modern CNN is compared with.</remarks>
public sealed class LeNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly AvgPool2d _pool1;
    private readonly Conv2d _conv2;
    private readonly AvgPool2d _pool2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly Linear _fc3;

    /// <summary>Creates the network.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the published ones.</param>
    public LeNet(LeNetConfig? config = null) : base(nameof(LeNet))
    {
        Config = config ?? new LeNetConfig();
        var c = Config;
        _conv1 = nn.Conv2d(c.InChannels, c.Conv1Channels, 5, padding: 2);
        _pool1 = nn.AvgPool2d(2, 2);
        _conv2 = nn.Conv2d(c.Conv1Channels, c.Conv2Channels, 5);
        _pool2 = nn.AvgPool2d(2, 2);
        _fc1 = nn.Linear(c.Conv2Channels * 5 * 5, c.Hidden1);
        _fc2 = nn.Linear(c.Hidden1, c.Hidden2);
        _fc3 = nn.Linear(c.Hidden2, c.Classes);
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public LeNetConfig Config { get; }

    /// <summary>Class logits for a batch of images.</summary>
    /// <param name="x">Images <c>(B, C, 28, 28)</c>.</param>
    /// <returns>Logits <c>(B, Classes)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        x = _pool1.call(sigmoid(_conv1.call(x)));   // (B, 6, 14, 14)
        x = _pool2.call(sigmoid(_conv2.call(x)));   // (B, 16, 5, 5)
        x = x.flatten(1);                           // (B, 400)
        x = sigmoid(_fc1.call(x));                  // (B, 120)
        x = sigmoid(_fc2.call(x));                  // (B, 84)
        return _fc3.call(x);                        // (B, Classes)
    }
}
