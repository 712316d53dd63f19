using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of <see cref="ModernCnn"/>.</summary>
/// <param name="InChannels">Input channels (1 for grey images).</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Channels1">Feature maps of the first convolution block.</param>
/// <param name="Channels2">Feature maps of the second convolution block.</param>
/// <param name="Hidden">Units of the hidden fully connected layer.</param>
/// <param name="Dropout">Dropout probability before each fully connected layer.</param>
/// <param name="ImageSize">Input height and width (square images).</param>
/// <remarks>Introduced in chapter 03 (CNN).</remarks>
public sealed record ModernCnnConfig(int InChannels = 1, int Classes = 10, int Channels1 = 32, int Channels2 = 64, int Hidden = 128, double Dropout = 0.3, int ImageSize = 28);

/// <summary>
/// A small modern CNN: two blocks of 3x3 convolution, batch norm, ReLU and 2x2 max pooling, then a
/// dropout-regularized two-layer head. <see cref="Features"/> and <see cref="Head"/> are separate
/// modules so the features can be frozen and the head replaced (transfer learning).
/// </summary>
/// <remarks>Introduced in chapter 03 (CNN), against <see cref="LeNet"/>; its features are reused for transfer learning in the same chapter.</remarks>
public sealed class ModernCnn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private Sequential _head;

    /// <summary>Creates the network.</summary>
    /// <param name="config">Hyperparameters; <c>null</c> uses the defaults.</param>
    public ModernCnn(ModernCnnConfig? config = null) : base(nameof(ModernCnn))
    {
        Config = config ?? new ModernCnnConfig();
        var c = Config;
        _features = nn.Sequential(
            ("conv1", nn.Conv2d(c.InChannels, c.Channels1, 3, padding: 1, bias: false)),
            ("bn1", nn.BatchNorm2d(c.Channels1)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(c.Channels1, c.Channels2, 3, padding: 1, bias: false)),
            ("bn2", nn.BatchNorm2d(c.Channels2)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()));
        _head = MakeHead(c, c.Classes);
        RegisterComponents();
    }

    /// <summary>The hyperparameters.</summary>
    public ModernCnnConfig Config { get; }

    /// <summary>Convolution blocks: <c>(B, C, S, S)</c> images to <c>(B, FeatureCount)</c> features.</summary>
    public Sequential Features => _features;

    /// <summary>The classifier on top of <see cref="Features"/>; replace it with <see cref="ReplaceHead"/>.</summary>
    public Sequential Head => _head;

    /// <summary>Length of the flattened feature vector: <c>Channels2 * (S / 4)^2</c>.</summary>
    public int FeatureCount => Config.Channels2 * (Config.ImageSize / 4) * (Config.ImageSize / 4);

    /// <summary>Class logits for a batch of images.</summary>
    /// <param name="x">Images <c>(B, C, S, S)</c>.</param>
    /// <returns>Logits <c>(B, Classes)</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        var features = _features.call(x);   // (B, Channels2 * S/4 * S/4)
        return _head.call(features);        // (B, Classes)
    }

    /// <summary>Turns gradients of the feature extractor off (or back on): its weights stay as they are.</summary>
    /// <param name="frozen">True to freeze.</param>
    public void FreezeFeatures(bool frozen = true)
    {
        foreach (var p in _features.parameters()) p.requires_grad = !frozen;
    }

    /// <summary>Replaces the head with a freshly initialized one for <paramref name="classes"/> classes.</summary>
    /// <param name="classes">Number of classes of the new task.</param>
    public void ReplaceHead(int classes)
    {
        register_module(nameof(_head), null!);   // registering null removes the old entry (TorchSharp's rule) ...
        _head.Dispose();
        _head = MakeHead(Config, classes);
        register_module(nameof(_head), _head);   // ... so the new head can take its name
    }

    private Sequential MakeHead(ModernCnnConfig c, int classes) => nn.Sequential(
        ("drop1", nn.Dropout(c.Dropout)),
        ("fc1", nn.Linear(FeatureCount, c.Hidden)),
        ("relu", nn.ReLU()),
        ("drop2", nn.Dropout(c.Dropout)),
        ("fc2", nn.Linear(c.Hidden, classes)));
}
