using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>Every knob of a GAN run in one record.</summary>
/// <remarks>Introduced in chapter 07 (GANs).</remarks>
public sealed record GanTrainerOptions
{
    /// <summary>Passes over the real data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Length of the noise vector <c>z ~ N(0, I)</c> fed to the generator.</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>Vanilla GAN or WGAN-GP.</summary>
    public GanLoss Loss { get; init; } = GanLoss.Vanilla;

    /// <summary>Generator learning rate.</summary>
    public double GeneratorLearningRate { get; init; } = 2e-4;

    /// <summary>Discriminator (critic) learning rate.</summary>
    public double DiscriminatorLearningRate { get; init; } = 2e-4;

    /// <summary>Adam's β1 (DCGAN uses 0.5).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam's β2 (WGAN-GP uses 0.9).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Builds both optimizers instead of Adam(β1, β2); called with each learning rate and weight decay 0.</summary>
    public OptimizerFactory? Optimizer { get; init; }

    /// <summary>Weight λ of the gradient penalty (WGAN-GP only).</summary>
    public double GradientPenaltyWeight { get; init; } = 10;

    /// <summary>Discriminator steps (one real batch each) per generator step; WGAN-GP uses 5.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>Use at most this many real batches per epoch; <c>null</c> uses all.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>Show the live progress board (one line per epoch on a console).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Called after each epoch (e.g. to keep a grid of samples from fixed noise).</summary>
    public Action<EpochRecord>? EpochEnd { get; init; }

    /// <summary>Device to train on; <c>null</c> uses <see cref="Course.Device"/>.</summary>
    public Device? Device { get; init; }
}
