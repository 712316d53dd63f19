using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class UNetTests
{
    private static UNet Small(int classes = 0) => new(new UNetConfig(Width: 8, Classes: classes, Groups: 4));

    [Fact]
    public void The_predicted_noise_has_the_shape_of_the_input_with_and_without_labels()
    {
        // Given an unconditional and a class-conditional U-Net
        manual_seed(0);
        using var plain = Small();
        using var conditional = Small(classes: 10);
        using var x = randn(3, 1, 28, 28);
        using var t = tensor(new long[] { 0, 10, 999 });
        // When each predicts the noise (the conditional one with labels, and with "no class")
        using var a = plain.call(x, t, null);
        using var b = conditional.call(x, t, tensor(new long[] { 0, 9, 10 }));
        using var c = conditional.call(x, t, null);
        // Then every prediction is shaped like the images
        Assert.Equal(x.shape, a.shape);
        Assert.Equal(x.shape, b.shape);
        Assert.Equal(x.shape, c.shape);
        Assert.True(conditional.IsConditional);
        Assert.Equal(10L, conditional.NullLabel);
        Assert.False(plain.IsConditional);
    }

    [Fact]
    public void The_chapters_conditional_network_of_width_16_has_126209_parameters()
    {
        // Given the chapter's configuration
        using var net = new UNet(new UNetConfig(Width: 16, Classes: 10));
        // When its parameters are counted
        var count = net.parameters().Sum(p => p.numel());
        // Then there are 126,209
        Assert.Equal(126_209L, count);
    }

    [Fact]
    public void Every_group_norm_starts_as_the_identity_scale_and_shift_and_the_output_is_finite()
    {
        // Given fresh U-Nets (TorchSharp 0.107's nn.GroupNorm leaves weight and bias uninitialised)
        for (var i = 0; i < 3; i++)
        {
            using var net = Small(classes: 2);
            // When their group norms' parameters are read and they predict noise
            var norms = net.named_parameters().Where(p => p.name.Contains("norm", StringComparison.OrdinalIgnoreCase)).ToList();
            using var noise = net.call(randn(2, 1, 28, 28), tensor(new long[] { 0, 999 }), null);
            // Then every weight is 1, every bias 0, and the prediction holds no NaN
            Assert.Equal(5 * 2 * 2 + 2, norms.Count);
            foreach (var (name, p) in norms)
                Assert.True(p.allclose(name.EndsWith("weight") ? ones_like(p) : zeros_like(p), rtol: 0, atol: 0), name);
            Assert.True(noise.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void Labels_given_to_an_unconditional_network_are_refused_with_a_clear_message()
    {
        // Given an unconditional U-Net
        using var net = Small();
        // When it is called with labels
        var error = Assert.Throws<ArgumentException>(() => net.call(randn(2, 1, 28, 28), tensor(new long[] { 1, 2 }), tensor(new long[] { 0, 1 })));
        // Then the message says it is unconditional and what to do
        Assert.Contains("unconditional", error.Message);
        Assert.Contains("labels = null", error.Message);
    }

    [Theory]
    [InlineData(new long[] { 2, 1, 30, 30 })]
    [InlineData(new long[] { 2, 3, 28, 28 })]
    [InlineData(new long[] { 1, 28, 28 })]
    public void Images_of_the_wrong_shape_are_refused_with_the_shape(long[] shape)
    {
        // Given a grey-image U-Net
        using var net = Small();
        // When it reads images of the wrong shape
        var error = Assert.Throws<ArgumentException>(() => net.call(randn(shape), zeros(shape[0], dtype: int64), null));
        // Then the message names the expected form and the shape it got
        Assert.Contains("divisible by 4", error.Message);
        Assert.Contains($"({string.Join(", ", shape)})", error.Message);
    }

    [Fact]
    public void The_prediction_depends_on_the_time_step_and_on_the_label()
    {
        // Given a conditional U-Net and one batch of noisy images
        manual_seed(1);
        using var net = Small(classes: 3);
        net.eval();
        using var x = randn(2, 1, 28, 28);
        using var early = full(2, 5L, dtype: int64);
        using var late = full(2, 500L, dtype: int64);
        using var zeroes = zeros(2, dtype: int64);
        using var twos = full(2, 2L, dtype: int64);
        // When it predicts at two time steps and for two labels
        using var atEarly = net.call(x, early, zeroes);
        using var atLate = net.call(x, late, zeroes);
        using var otherLabel = net.call(x, early, twos);
        using var again = net.call(x, early, zeroes);
        // Then the time step and the label both change the output, and the same input gives the same output
        Assert.False(atEarly.allclose(atLate, rtol: 0, atol: 1e-6));
        Assert.False(atEarly.allclose(otherLabel, rtol: 0, atol: 1e-6));
        Assert.True(atEarly.allclose(again, rtol: 0, atol: 0));
    }

    [Fact]
    public void The_time_embedding_is_sines_then_cosines_of_t_over_powers_of_10000()
    {
        // Given time steps 0 and 3 and a width of 4: frequencies 1 and 10000^(-1/2) = 0.01
        using var t = tensor(new long[] { 0, 3 });
        // When they are embedded
        using var embedding = UNet.TimeEmbedding(t, 4);
        // Then each row is (sin t, sin 0.01 t, cos t, cos 0.01 t)
        using var expected = tensor(new float[,]
        {
            { 0, 0, 1, 1 },
            { (float)Math.Sin(3), (float)Math.Sin(0.03), (float)Math.Cos(3), (float)Math.Cos(0.03) },
        });
        Assert.Equal(ScalarType.Float32, embedding.dtype);
        Assert.True(embedding.allclose(expected, rtol: 1e-5, atol: 1e-6), embedding.ToString(TorchSharp.TensorStringStyle.Numpy));
        Assert.Throws<ArgumentOutOfRangeException>(() => UNet.TimeEmbedding(t, 5));
    }

    [Fact]
    public void The_gradient_with_respect_to_the_noisy_image_matches_float64_at_width_8()
    {
        // Given a width-8 U-Net (every convolution but the 1x1 shortcuts has 8 or 1 output channels: the case libtorch
        // 2.10's CPU backward pass gets wrong, see PaddedConvolution) and a float64 copy of it
        manual_seed(5);
        using var net = Small(classes: 10);
        using var net64 = Small(classes: 10);
        net64.load_state_dict(net.state_dict());
        net64.to(float64);
        using var t = tensor(new long[] { 3, 500, 999, 40 });
        using var labels = tensor(new long[] { 0, 4, 10, 9 });
        for (var draw = 0; draw < 3; draw++)
        {
            using var scope = NewDisposeScope();
            var x = randn(4, 1, 28, 28).requires_grad_();
            var x64 = x.detach().to(float64).requires_grad_();
            // When both predict the noise and back-propagate the same upstream gradient to the image
            var y = net.call(x, t, labels);
            var upstream = randn_like(y);
            (y * upstream).sum().backward();
            (net64.call(x64, t, labels) * upstream.to(float64)).sum().backward();
            // Then the image's gradients agree to float32 precision (without the padding they were off by up to the
            // gradient's own size, or NaN)
            var error = ((x.grad!.to(float64) - x64.grad!).abs().max() / x64.grad!.abs().max()).item<double>();
            Assert.True(error < 1e-4, $"draw {draw}: input gradient off by {error:E2} of its largest entry");
        }
    }

    [Fact]
    public void The_time_embedding_is_chapter_06s_positional_encoding_with_sines_and_cosines_in_halves()
    {
        // Given the transformer's table of positions 0..999 at width 8 (interleaved: sin, cos, sin, cos, ...)
        using var table = PositionalEncoding.Table(1000, 8);
        using var t = tensor(new long[] { 0, 1, 17, 999 });
        // When time steps are embedded at the same width
        using var embedding = UNet.TimeEmbedding(t, 8);
        // Then each row is the table's row for that step with the even (sine) channels first, then the odd (cosine) ones
        using var rows = table.index_select(0, t);
        using var reordered = rows.index_select(1, tensor(new long[] { 0, 2, 4, 6, 1, 3, 5, 7 }));
        Assert.Equal(reordered.shape, embedding.shape);
        Assert.True(embedding.equal(reordered).all().item<bool>(), embedding.ToString(TorchSharp.TensorStringStyle.Numpy));
    }

    [Fact]
    public void A_few_dozen_training_steps_lower_the_noise_prediction_loss_on_a_tiny_set()
    {
        // Given the chapter's U-Net (width 16, 28x28 images) in a 100-step DDPM and 32 images of two stripe patterns in [-1, 1].
        manual_seed(2);
        using var net = new UNet(new UNetConfig(Width: 16));
        using var ddpm = new Ddpm(net, new DdpmConfig(Steps: 100));
        using var stripe = (arange(28).remainder(2).to(float32) * 2 - 1).reshape(1, 1, 1, 28).expand(1, 1, 28, 28);
        using var images = cat([stripe.expand(16, 1, 28, 28), stripe.transpose(2, 3).expand(16, 1, 28, 28)]).contiguous();
        double Measure()
        {
            using var noGrad = no_grad();
            manual_seed(3);   // the same time steps and noise before and after
            using var loss = ddpm.Loss(images);
            return loss.item<float>();
        }
        var before = Measure();
        // When it trains 40 Adam steps on them, gradients clipped to norm 1 as in the chapter
        using var optimizer = optim.Adam(net.parameters(), lr: 1e-3);
        manual_seed(4);
        for (var i = 0; i < 40; i++)
        {
            optimizer.zero_grad();
            using var loss = ddpm.Loss(images);
            loss.backward();
            nn.utils.clip_grad_norm_(net.parameters(), 1.0);
            optimizer.step();
        }
        var after = Measure();
        // Then the loss on the same draws has fallen clearly
        Assert.True(after < 0.8 * before, $"loss before {before:F4}, after {after:F4}");
    }
}
