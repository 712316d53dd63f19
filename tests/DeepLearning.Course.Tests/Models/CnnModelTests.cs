using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class LeNetTests
{
    [Fact]
    public void LeNet_maps_a_batch_of_28x28_images_to_one_logit_per_class()
    {
        // Given the published LeNet
        manual_seed(0);
        using var model = new LeNet();
        // When a batch of 3 Fashion-MNIST-sized images goes through
        using var yHat = model.call(rand(3, 1, 28, 28));
        // Then there are 10 logits per image
        Assert.Equal([3L, 10], yHat.shape);
    }

    [Fact]
    public void LeNet_has_the_published_parameter_count()
    {
        // Given LeNet-5 with 6 and 16 feature maps and 120-84-10 dense layers
        using var model = new LeNet();
        // When its parameters are counted
        var count = model.parameters().Sum(p => p.numel());
        // Then it has 61,706 of them (conv 156 + 2,416; dense 48,120 + 10,164 + 850)
        Assert.Equal(61_706, count);
    }
}

public class ModernCnnTests
{
    [Fact]
    public void ModernCnn_maps_images_to_features_and_logits_of_the_configured_sizes()
    {
        // Given a modern CNN for 28x28 images
        manual_seed(0);
        using var model = new ModernCnn(new ModernCnnConfig(Channels1: 8, Channels2: 16, Hidden: 32));
        model.eval();
        using var x = rand(4, 1, 28, 28);
        // When features and logits are computed
        using var features = model.Features.call(x);
        using var yHat = model.call(x);
        // Then the features are Channels2 * 7 * 7 long and there is one logit per class
        Assert.Equal([4L, 16 * 7 * 7], features.shape);
        Assert.Equal(model.FeatureCount, (int)features.shape[1]);
        Assert.Equal([4L, 10], yHat.shape);
    }

    [Fact]
    public void Freezing_features_and_replacing_the_head_trains_only_the_new_head()
    {
        // Given a trained-looking model whose features are frozen and whose head is replaced for 5 classes
        manual_seed(0);
        using var model = new ModernCnn(new ModernCnnConfig(Channels1: 4, Channels2: 8, Hidden: 16));
        model.FreezeFeatures();
        model.ReplaceHead(5);
        var before = model.Features.parameters().Select(p => p.detach().clone()).ToList();
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        using var opt = optim.SGD(trainable, 0.1);
        // When one optimization step runs
        using var x = rand(8, 1, 28, 28);
        using var y = randint(0, 5, [8]);
        var loss = nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        opt.step();
        // Then the output has 5 classes, only head parameters were trainable, and the features did not move
        Assert.Equal([8L, 5], model.call(x).shape);
        Assert.Equal(model.Head.parameters().Count(), trainable.Count);
        foreach (var (p, old) in model.Features.parameters().Zip(before))
            Assert.True(p.detach().eq(old).all().item<bool>(), "a frozen feature weight changed");
        // (batch-norm running statistics are buffers, not parameters: eval mode keeps them too)
    }
}

public class ResidualBlockTests
{
    [Fact]
    public void A_block_that_keeps_channels_and_stride_uses_the_identity_shortcut_and_keeps_the_shape()
    {
        // Given a 16 -> 16 block with stride 1
        manual_seed(0);
        using var block = new ResidualBlock(16, 16);
        // When a (2, 16, 14, 14) batch goes through
        using var y = block.call(rand(2, 16, 14, 14));
        // Then the shape is unchanged and no projection is needed
        Assert.False(block.HasProjection);
        Assert.Equal([2L, 16, 14, 14], y.shape);
        Assert.True(y.min().item<float>() >= 0, "the block ends with a ReLU");
    }

    [Fact]
    public void A_block_that_doubles_channels_and_halves_resolution_projects_its_shortcut()
    {
        // Given a 16 -> 32 block with stride 2
        manual_seed(0);
        using var block = new ResidualBlock(16, 32, stride: 2);
        // When a (2, 16, 14, 14) batch goes through
        using var y = block.call(rand(2, 16, 14, 14));
        // Then the output is (2, 32, 7, 7) and the shortcut is a 1x1 convolution
        Assert.True(block.HasProjection);
        Assert.Equal([2L, 32, 7, 7], y.shape);
    }
}

public class TinyResNetTests
{
    [Fact]
    public void TinyResNet_maps_images_of_any_size_to_one_logit_per_class()
    {
        // Given a tiny ResNet with global average pooling
        manual_seed(0);
        using var model = new TinyResNet(new TinyResNetConfig(Width: 8));
        // When 28x28 and 32x32 batches go through
        using var a = model.call(rand(2, 1, 28, 28));
        using var b = model.call(rand(2, 1, 32, 32));
        // Then both give (2, 10)
        Assert.Equal([2L, 10], a.shape);
        Assert.Equal([2L, 10], b.shape);
    }
}
