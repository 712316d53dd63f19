using System.Globalization;

namespace DeepLearning.Course.Training;

/// <summary>
/// Thrown when the training loss becomes NaN or infinite, with advice on the usual causes.
/// </summary>
/// <remarks>Introduced in chapter 02 (MLP), where a too-large learning rate makes training diverge.</remarks>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for a non-finite loss.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">0-based batch index.</param>
    /// <param name="loss">The offending loss value.</param>
    /// <param name="learningRate">The learning rate at the time.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate)
        : base(Describe(epoch, batch, loss, learningRate))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>1-based epoch in which the loss diverged.</summary>
    public int Epoch { get; }

    /// <summary>0-based batch index at which the loss diverged.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss value.</summary>
    public double Loss { get; }

    /// <summary>The learning rate in use.</summary>
    public double LearningRate { get; }

    private static string Describe(int epoch, int batch, double loss, double lr) =>
        string.Format(CultureInfo.InvariantCulture,
            "Training diverged: the loss became {0} at epoch {1}, batch {2} (learning rate {3:G4}). " +
            "Usual causes: the learning rate is too high (try 10x smaller); the inputs are not normalized " +
            "(scale features to mean 0 / std 1, pixels to [0, 1]); exploding gradients (set " +
            "TrainerOptions.ClipGradientNorm, e.g. 1.0); or the loss takes log of 0 (use logits with " +
            "Losses.CrossEntropy rather than probabilities).", loss, epoch, batch, lr);
}
