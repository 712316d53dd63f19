using System.Security.Cryptography;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Generative;

/// <summary>
/// The one place the course's generators and their judge come from when a later chapter compares them: chapter 07's
/// judge (a <see cref="ModernCnn"/>) and DCGAN, and chapter 08's VAE, each trained with its chapter's full-mode recipe (or
/// its quick-mode one) through <see cref="ModelCache"/>, so the first call trains and later calls load.
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models), whose yardstick scores all three generator families with one judge. The
/// cache key holds the SHA-256 of the training tensors, the seed, the recipe (with <c>quick</c>) and the library build.
/// Every image is <c>(N, 1, 28, 28)</c> in [0, 1].
/// </remarks>
public static class CourseGenerators
{
    /// <summary>Chapter 07's judge: a <see cref="ModernCnn"/> trained to classify, Adam 2e-3, batches of 128, 3 epochs (1 in quick mode).</summary>
    /// <param name="images">Training images <c>(N, 1, 28, 28)</c> in [0, 1] (chapter 07: 35,000 the DCGAN never sees).</param>
    /// <param name="labels">Their labels <c>(N)</c>.</param>
    /// <param name="quick">The quick-mode recipe.</param>
    /// <param name="seed">Seed of the initialisation and the data order.</param>
    /// <returns>The judge and what the cache did.</returns>
    public static (SampleJudge Judge, CachedModel Cached) Judge(Tensor images, Tensor labels, bool quick, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        var epochs = quick ? 1 : 3;
        Course.Seed(seed);
        var model = new ModernCnn();
        var options = new TrainerOptions
        {
            Optimizer = Optimizers.Adam(), LearningRate = 2e-3, Loss = Losses.CrossEntropy, Epochs = epochs, ShowProgress = false,
        };
        var cached = ModelCache.GetOrTrain(model, "judge", DataKey(images, labels), seed, $"ModernCnn default; Adam 2e-3; batch 128; {epochs} epochs",
            m => new Trainer(options).Fit(m, new DataLoader(images, labels, 128, shuffle: true, seed: seed)));
        return (new SampleJudge(model), cached);
    }

    /// <summary>Chapter 07's DCGAN (latent 64, widths 32): Adam 2e-4, β₁ 0.5, batches of 64, 24 epochs (2 in quick mode).</summary>
    /// <param name="images">Training images in [0, 1] (chapter 07: the first 20,000 of its training split).</param>
    /// <param name="quick">The quick-mode recipe.</param>
    /// <param name="seed">Seed of the initialisation and the data order.</param>
    /// <returns>The generator (it maps noise <c>(n, 64)</c> to images in [-1, 1]; see <see cref="DcGanGenerator.SampleImages"/>) and what the cache did.</returns>
    public static (DcGanGenerator Generator, CachedModel Cached) Dcgan(Tensor images, bool quick, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        var epochs = quick ? 2 : 24;
        var config = new DcGanConfig(LatentDim: 64, GeneratorWidth: 32, DiscriminatorWidth: 32);
        Course.Seed(seed);
        var generator = new DcGanGenerator(config);
        var cached = ModelCache.GetOrTrain(generator, "dcgan", DataKey(images), seed, $"{config}; Adam 2e-4 (0.5, 0.999); batch 64; {epochs} epochs",
            g =>
            {
                using var discriminator = new DcGanDiscriminator(config);
                using var gan = new GanTrainer(g, discriminator, new GanTrainerOptions
                {
                    Epochs = epochs, LatentDim = config.LatentDim, GeneratorLearningRate = 2e-4, DiscriminatorLearningRate = 2e-4,
                    Beta1 = 0.5, Beta2 = 0.999, ShowProgress = false,
                });
                using var scaled = images * 2 - 1;
                gan.Fit(new DataLoader(scaled, 64, shuffle: true, seed: seed, dropLast: true));
            });
        return (generator, cached);
    }

    /// <summary>Chapter 08's VAE (latent 20) on dynamically binarised images: Adam 1e-3, batches of 128, 20 epochs (3 in quick mode).</summary>
    /// <param name="images">Training images in [0, 1] (chapter 08: 50,000), binarised afresh every epoch.</param>
    /// <param name="quick">The quick-mode recipe.</param>
    /// <param name="seed">Seed of the initialisation and the data order.</param>
    /// <returns>The VAE (its <see cref="Models.Vae.Sample"/> gives pixel probabilities in [0, 1]) and what the cache did.</returns>
    public static (Vae Vae, CachedModel Cached) Vae(Tensor images, bool quick, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        var epochs = quick ? 3 : 20;
        Course.Seed(seed);
        var vae = new Vae();
        var cached = ModelCache.GetOrTrain(vae, "vae", DataKey(images), seed, $"Vae 784-400-20; dynamic binarisation; Adam 1e-3; batch 128; {epochs} epochs",
            v => new Trainer(new TrainerOptions { Epochs = epochs, Optimizer = Optimizers.Adam(), LearningRate = 1e-3, Step = v.ElboStep, ShowProgress = false })
                .Fit(v, new DataLoader(images, 128, shuffle: true, seed: seed).Select(b => b with { Features = bernoulli(b.Features) })));
        return (vae, cached);
    }

    /// <summary>A short content hash of training tensors: their shapes, dtypes and bytes.</summary>
    /// <param name="tensors">The tensors.</param>
    /// <returns>Hex digits of the SHA-256, with the first tensor's shape for reading.</returns>
    public static string DataKey(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in tensors)
        {
            using var c = t.cpu().contiguous();
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{c.dtype}({string.Join(",", c.shape)})"));
            hash.AppendData(c.bytes);
        }
        return $"({string.Join(", ", tensors[0].shape)}) sha256 {Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant()}";
    }
}
