using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class VaeTests
{
    [Fact]
    public void Images_in_give_logits_shaped_like_the_images_and_a_code_distribution_per_image()
    {
        // Given the default VAE (784-400-20)
        manual_seed(0);
        using var vae = new Vae();
        using var images = rand(5, 1, 28, 28);
        // When it reads images and the same images flattened
        var (logits, mean, logVariance) = vae.call(images);
        var (flatLogits, _, _) = vae.call(images.reshape(5, 784));
        // Then the logits take the input's shape, and the mean and log-variance are (N, 20)
        Assert.Equal([5L, 1L, 28L, 28L], logits.shape);
        Assert.Equal([5L, 784L], flatLogits.shape);
        Assert.Equal([5L, 20L], mean.shape);
        Assert.Equal([5L, 20L], logVariance.shape);
    }

    [Fact]
    public void Decode_gives_image_logits_and_sample_gives_images_in_zero_to_one()
    {
        // Given a VAE with a small latent space
        manual_seed(0);
        using var vae = new Vae(latent: 4);
        // When it decodes three codes and samples seven images from a seeded generator, twice
        using var logits = vae.Decode(randn(3, 4));
        using var samples = vae.Sample(7, new Generator(1));
        using var again = vae.Sample(7, new Generator(1));
        // Then the logits are (3, 1, 28, 28), the samples (7, 1, 28, 28) in [0, 1], repeatable, without gradient
        Assert.Equal([3L, 1L, 28L, 28L], logits.shape);
        Assert.Equal([7L, 1L, 28L, 28L], samples.shape);
        Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 1);
        Assert.True(samples.allclose(again, rtol: 0, atol: 0));
        Assert.False(samples.requires_grad);
    }

    [Fact]
    public void Wrong_input_size_is_refused_with_the_shape()
    {
        // Given the default VAE
        using var vae = new Vae();
        // When it reads 32x32 images
        var error = Assert.Throws<ArgumentException>(() => vae.call(rand(2, 1, 32, 32)));
        // Then the message says what it reads and what it got
        Assert.Contains("784", error.Message);
        Assert.Contains("[2, 1, 32, 32]", error.Message);
    }

    [Fact]
    public void Reparameterization_is_mean_plus_sigma_times_noise_and_passes_gradients_to_both()
    {
        // Given a mean and a log-variance that need gradients, and a seeded generator
        using var mean = tensor(new float[] { 1, -2, 0.5f }).requires_grad_(true);
        using var logVariance = tensor(new float[] { 0, 2, -1 }).requires_grad_(true);
        // When one code is drawn
        using var z = Vae.Reparameterize(mean, logVariance, new Generator(3));
        // Then it is mean + exp(logVar / 2) * eps with eps the generator's standard normal draw
        using var epsilon = randn([3], generator: new Generator(3));
        var sigma = (0.5 * logVariance).exp().detach();
        Assert.True(z.detach().allclose(mean.detach() + sigma * epsilon, rtol: 1e-6, atol: 1e-6));
        // ... and d z / d mean = 1, d z / d logVar = sigma * eps / 2
        z.sum().backward();
        Assert.True(mean.grad!.allclose(ones(3)));
        Assert.True(logVariance.grad!.allclose(0.5 * sigma * epsilon, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Kl_term_is_the_closed_form_that_a_monte_carlo_estimate_approaches()
    {
        // Given a Gaussian q = N(mu, sigma^2) in three dimensions
        using var mean = tensor(new float[,] { { 0.5f, -1, 0 } });
        using var logVariance = tensor(new float[,] { { 0, -1, 0.7f } });
        // When the closed-form KL term is computed, and KL is estimated as E_q[log q(z) - log p(z)] from 200,000 draws
        var (_, kl) = Vae.ElboTerms(zeros(1, 4), zeros(1, 4), mean, logVariance);
        using var z = Vae.Reparameterize(mean.expand(200_000, 3), logVariance.expand(200_000, 3), new Generator(0));
        var monteCarlo = (Vae.LogNormal(z, mean, logVariance) - Vae.LogStandardNormal(z)).mean().item<float>();
        // Then the two agree (the estimate's standard error is about 0.003)
        Assert.Equal(kl.item<float>(), monteCarlo, 0.02);
        // ... and KL is zero exactly when q is the prior
        var (_, none) = Vae.ElboTerms(zeros(1, 4), zeros(1, 4), zeros(1, 3), zeros(1, 3));
        Assert.Equal(0, none.item<float>(), 6);
    }

    [Fact]
    public void Reconstruction_term_is_the_bernoulli_negative_log_likelihood_summed_over_pixels()
    {
        // Given logits for two images of three pixels and binary targets
        using var logits = tensor(new float[,] { { 2, -1, 0 }, { -3, 0.5f, 1 } });
        using var x = tensor(new float[,] { { 1, 0, 1 }, { 0, 0, 1 } });
        // When the reconstruction term is computed
        var (reconstruction, _) = Vae.ElboTerms(logits, x, zeros(2, 1), zeros(2, 1));
        // Then it is -sum(x log p + (1 - x) log(1 - p)) per image, p = sigmoid(logit)
        var p = logits.sigmoid();
        var expected = -(x * p.log() + (1 - x) * (1 - p).log()).sum(1);
        Assert.True(reconstruction.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Importance_weighted_bound_is_the_exact_log_likelihood_when_q_is_the_posterior()
    {
        // Given a VAE whose encoder always answers the prior N(0, I) and whose decoder ignores z (logits = b):
        // then p(x | z) = p(x) for every z, the posterior is the prior, and every bound is exact
        using var vae = new Vae(inputSize: 6, hidden: 4, latent: 2);
        using var b = tensor(new float[] { 1, -2, 0.5f, 0, 3, -1 });
        using (no_grad())
        {
            foreach (var p in vae.parameters()) p.zero_();
            vae.parameters().Single(p => p.dim() == 1 && p.shape[0] == 6).copy_(b);
        }
        using var x = tensor(new float[,] { { 1, 0, 1, 1, 0, 0 }, { 0, 0, 1, 0, 1, 1 } });
        // When the bound is computed with k = 1 and k = 150 samples
        using var bound1 = vae.LogLikelihoodBound(x, 1, new Generator(0));
        using var bound150 = vae.LogLikelihoodBound(x, 150, new Generator(0));
        // Then both equal log p(x) = -sum BCE(b, x), and so does the negative ELBO
        var exact = -nn.functional.binary_cross_entropy_with_logits(b.expand(2, 6), x, reduction: nn.Reduction.None).sum(1);
        Assert.True(bound1.allclose(exact, rtol: 1e-5, atol: 1e-4));
        Assert.True(bound150.allclose(exact, rtol: 1e-5, atol: 1e-4));
        Assert.Equal(-exact.mean().item<float>(), vae.NegativeElbo(x).item<float>(), 4);
    }

    [Fact]
    public void More_importance_samples_give_a_tighter_bound_than_the_elbo()
    {
        // Given a randomly initialised VAE and binary images
        manual_seed(0);
        using var vae = new Vae(inputSize: 16, hidden: 8, latent: 2);
        using var x = rand(4, 16).gt(0.5).to_type(ScalarType.Float32);
        // When the ELBO is averaged over 400 draws and the bound is taken with k = 400
        using var elbo = vae.LogLikelihoodBound(x, 1, new Generator(1));
        var averageElbo = stack(Enumerable.Range(0, 400).Select(i => vae.LogLikelihoodBound(x, 1, new Generator((ulong)i))).ToArray()).mean([0L]);
        using var bound = vae.LogLikelihoodBound(x, 400, new Generator(2));
        // Then the importance-weighted bound lies above the average ELBO for every image (Burda et al.: L_k rises with k)
        Assert.True(bound.gt(averageElbo).all().item<bool>(), $"bound {string.Join(", ", bound.data<float>().ToArray())} vs mean ELBO {string.Join(", ", averageElbo.data<float>().ToArray())}");
    }

    [Fact]
    public void Trainer_lowers_the_negative_elbo_with_the_vae_step()
    {
        // Given 256 binary 4x4 images of two kinds (left half on, or right half on) with a little noise
        manual_seed(0);
        var left = tensor(new float[] { 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0 });
        var kinds = stack([left, 1 - left]);                                   // (2, 16)
        var images = kinds.index_select(0, randint(2, 256)).reshape(256, 1, 4, 4);
        images = (images + rand(256, 1, 4, 4).lt(0.05).to_type(ScalarType.Float32)).remainder(2);           // flip 5% of pixels
        using var vae = new Vae(inputSize: 16, hidden: 32, latent: 2, imageShape: [1, 4, 4]);
        // When the trainer runs the VAE's own step for 40 epochs
        var history = new Trainer(new TrainerOptions
        {
            Epochs = 40, Optimizer = Optimizers.Adam(), LearningRate = 1e-2, Step = vae.ElboStep, ShowProgress = false,
        }).Fit(vae, new DataLoader(images, 32, shuffle: true, seed: 0));
        // Then the negative ELBO falls well below its start and below the 16 * ln 2 = 11.1 nats of a coin flip per pixel,
        // and the history has the two terms, which add up to the loss
        var first = history.Epochs[0]["train_loss"];
        var last = history.Last["train_loss"];
        Assert.True(last < 0.6 * first && last < 8, $"negative ELBO {first:F2} -> {last:F2}");
        Assert.Equal(last, history.Last["train_reconstruction"] + history.Last["train_kl"], 3);
        Assert.True(history.Last["train_kl"] > 0.5, "the code carries information (KL above 0.5 nats)");
    }

    [Fact]
    public void Trainer_without_a_step_explains_that_a_vae_needs_its_own()
    {
        // Given a VAE and options with a loss but no step
        using var vae = new Vae(inputSize: 4, hidden: 4, latent: 1);
        var trainer = new Trainer(new TrainerOptions { Loss = Losses.Mse, ShowProgress = false });
        // When it is asked to fit the VAE
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(vae, new DataLoader(rand(8, 4), 4)));
        // Then the message names the VAE's step
        Assert.Contains("ElboStep", error.Message);
    }
}
