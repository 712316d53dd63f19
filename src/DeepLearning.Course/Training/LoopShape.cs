
namespace DeepLearning.Course.Training;

/// <summary>
/// How the one loop names and averages what the step reports: the supervised layout (<c>train_loss</c>,
/// <c>train_accuracy</c>, means weighted by batch rows) or the GAN's (<c>loss_d</c>, <c>loss_g</c>, <c>d_x</c>,
/// <c>d_g_z</c>, means per step, and every epoch counts as the latest best).
/// </summary>
/// <param name="Title">The progress board's title.</param>
/// <param name="Prefix">Key prefix (<c>train</c>, <c>valid</c>), or none.</param>
/// <param name="LossName">Key of <see cref="StepResult.Loss"/>'s mean.</param>
/// <param name="WeightByRows">Weight each batch by its rows (else each step counts once).</param>
/// <param name="TrackBest">Keep the best epoch by the monitored key (else the latest epoch).</param>
/// <param name="Keys">Value keys always written, in this order, right after the loss (NaN when no step reported one).</param>
internal sealed record LoopShape(string Title, string? Prefix, string LossName, bool WeightByRows, bool TrackBest, IReadOnlyList<string> Keys)
{
    public static readonly LoopShape Supervised = new("Training", "train", "loss", WeightByRows: true, TrackBest: true, []);
    public static readonly LoopShape Validation = Supervised with { Prefix = "valid" };
    public static readonly LoopShape Evaluation = Supervised with { Prefix = null };
}
