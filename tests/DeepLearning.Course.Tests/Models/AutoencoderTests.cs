using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class AutoencoderTests
{
    [Fact]
    public void Mlp_autoencoder_reconstructs_in_the_input_shape_through_a_narrow_code()
    {
        // Given the default MLP autoencoder (784-256-32-256-784)
        manual_seed(0);
        using var ae = new MlpAutoencoder();
        using var x = rand(3, 1, 28, 28);
        // When it encodes and reconstructs three images
        using var code = ae.Encode(x);
        using var xHat = ae.call(x);
        // Then the code is (3, 32), the reconstruction has the images' shape with pixels in (0, 1)
        Assert.Equal([3L, 32L], code.shape);
        Assert.Equal([3L, 1L, 28L, 28L], xHat.shape);
        Assert.True(xHat.min().item<float>() > 0 && xHat.max().item<float>() < 1);
        Assert.Equal([256], ae.Config.HiddenLayers);
    }

    [Fact]
    public void Linear_autoencoder_is_two_linear_maps_and_nothing_else()
    {
        // Given the linear autoencoder with a code of 5
        using var ae = new MlpAutoencoder(MlpAutoencoderConfig.Linear(5, inputs: 20));
        // Then it has exactly the weights and biases of two linear maps, 20 -> 5 -> 20
        Assert.Equal(20 * 5 + 5 + 5 * 20 + 20, ae.parameters().Sum(p => p.numel()));
        // ... and it is linear up to its biases: f(2x) - f(0) = 2 (f(x) - f(0))
        using var x = randn(4, 20);
        using var zero = zeros(4, 20);
        using (no_grad())
            Assert.True((ae.call(2 * x) - ae.call(zero)).allclose(2 * (ae.call(x) - ae.call(zero)), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Linear_autoencoder_trained_by_gradient_descent_reaches_pca_and_its_subspace()
    {
        // Given 400 points in 10-D near a 3-D subspace (variances 9, 4, 1 there, 0.01 elsewhere), centred as PCA centres them
        // (uncentred, the biases must cancel a large constant in every code, and gradient descent crawls)
        manual_seed(0);
        var (q, _) = linalg.qr(randn(10, 10));
        var basis = q[.., ..3];                                                         // (10, 3) orthonormal
        var raw = matmul(randn(400, 3) * tensor(new float[] { 3, 2, 1 }), basis.T) + 0.1 * randn(400, 10) + 5;
        var X = raw - raw.mean([0L]);
        // When a linear autoencoder with a code of 3 is trained with Adam, and PCA keeps 3 components
        using var ae = new MlpAutoencoder(MlpAutoencoderConfig.Linear(3, inputs: 10));
        new Trainer(new TrainerOptions { Epochs = 300, Optimizer = Optimizers.Adam(), LearningRate = 1e-2, Loss = Losses.Mse, ShowProgress = false,
            Scheduler = o => optim.lr_scheduler.StepLR(o, 100, 0.3) })
            .Fit(ae, new DataLoader(X, X, 50, shuffle: true, seed: 0));
        using var pca = Pca.Fit(X, 3);
        Tensor aeHat;
        using (no_grad()) aeHat = ae.call(X);
        var pcaHat = matmul(pca.Transform(X), pca.Components) + pca.Mean;
        var aeError = (aeHat - X).square().mean().item<float>();
        var pcaError = (pcaHat - X).square().mean().item<float>();
        // Then its reconstruction error is within 1% of PCA's (PCA's is the least any rank-3 linear map can reach)
        Assert.InRange(aeError / pcaError, 0.999, 1.01);
        // ... and its decoder spans PCA's subspace: every cosine of the principal angles is above 0.999
        var decoder = ae.Decoder.parameters().First(p => p.dim() == 2).detach();         // (10, 3)
        var (decoderBasis, _) = linalg.qr(decoder);                                      // (10, 3) orthonormal
        var (_, cosines, _) = linalg.svd(matmul(decoderBasis.T, pca.Components.T), fullMatrices: false);   // (3)
        Assert.True(cosines.min().item<float>() > 0.999, $"cosines of principal angles: {string.Join(", ", cosines.data<float>().ToArray())}");
    }

    [Fact]
    public void Conv_autoencoder_squeezes_28x28_images_through_its_code_and_back()
    {
        // Given a convolutional autoencoder with a code of 8
        manual_seed(0);
        using var ae = new ConvAutoencoder(new ConvAutoencoderConfig(Bottleneck: 8, Width: 4));
        using var x = rand(2, 1, 28, 28);
        // When it encodes and reconstructs two images
        using var code = ae.Encode(x);
        using var xHat = ae.call(x);
        // Then the code is (2, 8) and the reconstruction has the images' shape with pixels in (0, 1)
        Assert.Equal([2L, 8L], code.shape);
        Assert.Equal([2L, 1L, 28L, 28L], xHat.shape);
        Assert.True(xHat.min().item<float>() > 0 && xHat.max().item<float>() < 1);
        Assert.Equal([2L, 1L, 28L, 28L], ae.Decode(code).shape);
    }

    [Fact]
    public void Conv_autoencoder_learns_to_reconstruct_a_few_images()
    {
        // Given 64 grey images (0.2) with a brighter 8x8 square (0.8) at a random place
        manual_seed(0);
        var images = full(64, 1, 28, 28, 0.2f);
        var random = new Random(0);
        for (var i = 0; i < 64; i++) { var (r, c) = (random.Next(0, 20), random.Next(0, 20)); images[i, 0, r..(r + 8), c..(c + 8)] = full(8, 8, 0.8f); }
        var meanImageMse = (images - images.mean([0L])).square().mean().item<float>();
        using var ae = new ConvAutoencoder(new ConvAutoencoderConfig(Bottleneck: 8, Width: 8));
        // When it trains for 60 epochs on reconstruction
        var history = new Trainer(new TrainerOptions { Epochs = 60, Optimizer = Optimizers.Adam(), LearningRate = 3e-3, Loss = Losses.Mse, ShowProgress = false })
            .Fit(ae, new DataLoader(images, images, 16, shuffle: true, seed: 0));
        // Then its reconstruction error is under half that of the best constant answer, the mean image: it places the squares
        Assert.True(history.Last["train_loss"] < meanImageMse / 2, $"MSE {history.Last["train_loss"]:F4}, mean image {meanImageMse:F4}");
    }
}
