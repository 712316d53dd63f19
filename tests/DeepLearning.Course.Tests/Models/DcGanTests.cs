using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class DcGanTests
{
    [Fact]
    public void Generator_turns_noise_into_28x28_images_in_minus_one_to_one()
    {
        // Given a DCGAN generator with a 16-dimensional latent space
        manual_seed(0);
        using var g = new DcGanGenerator(new DcGanConfig(LatentDim: 16, GeneratorWidth: 8));
        // When it reads five noise vectors
        using var z = randn(5, 16);
        using var images = g.call(z);
        // Then it returns five 1x28x28 images whose pixels lie in [-1, 1]
        Assert.Equal([5L, 1L, 28L, 28L], images.shape);
        Assert.True(images.min().item<float>() >= -1 && images.max().item<float>() <= 1);
    }

    [Fact]
    public void SampleImages_gives_the_generators_images_in_zero_to_one_and_leaves_its_mode_as_it_was()
    {
        // Given a generator in train mode and two random-number generators with the same seed
        manual_seed(0);
        using var g = new DcGanGenerator(new DcGanConfig(LatentDim: 16, GeneratorWidth: 8));
        g.train();
        // When it samples six images, then the same noise is drawn by hand and run through it in eval mode
        using var images = g.SampleImages(6, new Generator(7));
        Assert.True(g.training);
        using var z = randn([6, 16], generator: new Generator(7));
        g.eval();
        using var noGrad = no_grad();
        using var expected = (g.call(z).clamp(-1, 1) + 1) / 2;
        // Then the images are those, rescaled to [0, 1], without a gradient graph
        Assert.Equal([6L, 1L, 28L, 28L], images.shape);
        Assert.True(images.equal(expected).all().item<bool>());
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.False(images.requires_grad);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.SampleImages(0));
    }

    [Fact]
    public void Discriminator_gives_one_logit_per_image()
    {
        // Given a DCGAN discriminator
        manual_seed(0);
        using var d = new DcGanDiscriminator(new DcGanConfig(DiscriminatorWidth: 8));
        // When it reads a batch of seven images
        using var x = rand(7, 1, 28, 28) * 2 - 1;
        using var logits = d.call(x);
        // Then it returns one logit per image
        Assert.Equal([7L, 1L], logits.shape);
    }

    [Fact]
    public void Critic_without_batch_norm_scores_each_image_independently_of_its_batch()
    {
        // Given a discriminator built as a WGAN-GP critic (no batch norm), in training mode
        manual_seed(0);
        using var critic = new DcGanDiscriminator(new DcGanConfig(DiscriminatorWidth: 8, BatchNormInDiscriminator: false));
        critic.train();
        using var x = rand(6, 1, 28, 28) * 2 - 1;
        // When it scores the batch, and the first image alone
        using var batchScores = critic.call(x);
        using var aloneScore = critic.call(x[..1]);
        // Then the first image gets the same score both ways (the gradient penalty relies on this)
        Assert.True(batchScores[..1].allclose(aloneScore, rtol: 1e-5, atol: 1e-6));
        Assert.DoesNotContain(critic.named_modules(), m => m.name.Contains("bn", StringComparison.Ordinal));
    }

    [Fact]
    public void Weights_start_from_the_dcgan_initialization()
    {
        // Given a generator with wide layers
        manual_seed(0);
        using var g = new DcGanGenerator(new DcGanConfig(LatentDim: 64, GeneratorWidth: 32));
        // When its transposed-convolution weights are inspected
        var weight = g.named_parameters().First(p => p.name.EndsWith("up2.weight", StringComparison.Ordinal)).parameter;
        // Then they have a standard deviation close to 0.02 and mean close to 0
        Assert.InRange(weight.std().item<float>(), 0.018, 0.022);
        Assert.InRange(weight.mean().item<float>(), -0.002, 0.002);
    }
}
