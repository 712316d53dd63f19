using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Learning-rate schedules stepped after every batch (the trainer's <see cref="TrainerOptions.Scheduler"/> steps once per epoch).
/// </summary>
/// <remarks>Introduced in chapter 05 (collaborative filtering, fastai's <c>fit_one_cycle</c>).</remarks>
public static class BatchSchedules
{
    /// <summary>
    /// fastai's one-cycle policy through torch's <c>OneCycleLR</c>: the learning rate warms up from <c>maxLr / 25</c> to
    /// <paramref name="maxLr"/> over the first <paramref name="pctStart"/> of <paramref name="totalSteps"/>, then anneals
    /// (cosine) to <c>maxLr / 25 / 1e5</c>, fastai's defaults (torch's own defaults are a 30% warm-up and 1e4);
    /// with <paramref name="cycleMomentum"/>, momentum (Adam's β1) moves the opposite way between 0.85 and 0.95.
    /// Returns a <see cref="TrainStep"/> that runs <paramref name="inner"/> (default: the standard step) and then steps the
    /// schedule; a new schedule is built whenever the trainer hands it a new optimizer, so one step serves one Fit at a time.
    /// </summary>
    /// <param name="maxLr">Peak learning rate.</param>
    /// <param name="totalSteps">Batches in the whole run (epochs × batches per epoch).</param>
    /// <param name="cycleMomentum">Cycle momentum too (needs an optimizer with momentum or betas: SGD with momentum, Adam, AdamW).</param>
    /// <param name="pctStart">Fraction of the steps spent warming up (fastai: 0.25).</param>
    /// <param name="inner">The step to wrap; <c>null</c> uses <see cref="StepContext.Standard"/>.</param>
    /// <returns>The step.</returns>
    public static TrainStep OneCycle(double maxLr, int totalSteps, bool cycleMomentum = true, double pctStart = 0.25, TrainStep? inner = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        optim.Optimizer? owner = null;
        optim.lr_scheduler.LRScheduler? schedule = null;
        var taken = 0;
        return c =>
        {
            if (!ReferenceEquals(owner, c.Optimizer))
            {
                owner = c.Optimizer;
                schedule = optim.lr_scheduler.OneCycleLR(c.Optimizer, maxLr, totalSteps, pct_start: pctStart,
                    final_div_factor: 1e5, cycle_momentum: cycleMomentum);
                taken = 0;
            }
            var result = inner is null ? c.Standard() : inner(c);
            if (++taken < totalSteps) schedule!.step(); // stepping past the end of the cycle is an error in torch
            return result;
        };
    }
}
