using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// What the chapter checks (04–07) share beside <see cref="Expect"/>: recognising a typical wrong answer so that the
/// "not yet" names the mistake instead of only the first differing number, and running a check's experiment on
/// fixed seeds without disturbing the chapter's random state.
/// </summary>
internal static class Mistakes
{
    /// <summary>
    /// Throws <paramref name="message"/> when <paramref name="actual"/> equals the typical wrong answer <paramref name="wrong"/>
    /// and that differs from the <paramref name="right"/> one (in some cases a mistake gives the right numbers by chance).
    /// </summary>
    public static void If(Tensor? actual, Tensor wrong, Tensor right, string message, double relative = 1e-4, double absolute = 1e-5)
    {
        if (actual is null || !actual.shape.SequenceEqual(wrong.shape)) return;
        using var scope = NewDisposeScope();
        var a = actual.detach().to(float64).cpu();
        var w = wrong.detach().to(float64).cpu();
        if (a.isnan().any().item<bool>()) return;
        if (w.shape.SequenceEqual(right.shape) && w.allclose(right.detach().to(float64).cpu(), relative, absolute)) return;
        if (a.allclose(w, relative, absolute)) throw new NotYetException(message);
    }

    /// <summary>
    /// Throws <paramref name="message"/> when the number <paramref name="actual"/> is the typical wrong answer <paramref name="wrong"/>
    /// and that differs from the <paramref name="right"/> one.
    /// </summary>
    public static void If(double actual, double wrong, double right, string message, double relative = 1e-3)
    {
        bool Near(double x, double y) => Math.Abs(x - y) <= relative * Math.Max(1e-9, Math.Abs(y));
        if (!Near(wrong, right) && Near(actual, wrong)) throw new NotYetException(message);
    }

    /// <summary>
    /// Runs <paramref name="experiment"/> with torch's global generator seeded to <paramref name="seed"/>, then puts the
    /// generator back as it was: the check is repeatable, and the cells after it draw the numbers they would have drawn.
    /// </summary>
    public static T Seeded<T>(long seed, Func<T> experiment)
    {
        var saved = random.get_rng_state();
        try
        {
            random.manual_seed(seed);
            return experiment();
        }
        finally
        {
            random.set_rng_state(saved);
            saved.Dispose();
        }
    }
}
