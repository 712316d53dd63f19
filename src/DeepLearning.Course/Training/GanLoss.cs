
namespace DeepLearning.Course.Training;

/// <summary>The game a <see cref="GanTrainer"/> plays.</summary>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public enum GanLoss
{
    /// <summary>
    /// Goodfellow et al.'s GAN with the non-saturating generator loss: the discriminator minimizes
    /// <c>(BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2</c>, the generator minimizes <c>BCE(D(G(z)), 1)</c>.
    /// At the equilibrium D outputs 1/2 everywhere and both losses equal ln 2.
    /// </summary>
    Vanilla,

    /// <summary>
    /// Wasserstein GAN with gradient penalty (Gulrajani et al. 2017): the critic minimizes
    /// <c>mean D(G(z)) - mean D(x) + λ mean (‖∇D(x̂)‖ - 1)²</c> on points x̂ between real and fake
    /// examples, an estimate of the earth-mover's distance kept honest by the penalty; the generator
    /// minimizes <c>-mean D(G(z))</c>.
    /// </summary>
    WassersteinGp,
}
