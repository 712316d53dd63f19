using DeepLearning.Course.Exercises;
using DeepLearning.Course.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 09's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter09ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    private static Tensor Gather(Tensor alphaBars, Tensor t) => alphaBars.index_select(0, t).reshape(-1, 1, 1, 1);

    [Fact]
    public void Noising_in_one_step_scales_the_image_and_the_noise_by_square_roots_of_alpha_bar()
    {
        // Then the closed form is right; the starter, variances for deviations, ᾱ_(t−1) and an unbroadcast ᾱ are not yet
        var right = Chapter09Exercises.QSample((x0, t, eps, ab) => Gather(ab, t).sqrt() * x0 + (1 - Gather(ab, t)).sqrt() * eps);
        Assert.True(right.Solved, right.Message);
        Assert.Contains(Starter, Chapter09Exercises.QSample((_, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("those are the variances", Chapter09Exercises.QSample((x0, t, eps, ab) => Gather(ab, t) * x0 + (1 - Gather(ab, t)) * eps).Message);
        Assert.Contains("scales the noise by 1 − ᾱ_t", Chapter09Exercises.QSample((x0, t, eps, ab) => Gather(ab, t).sqrt() * x0 + (1 - Gather(ab, t)) * eps).Message);
        Assert.Contains("uses ᾱ_(t−1)", Chapter09Exercises.QSample((x0, t, eps, ab) => Gather(ab, (t - 1).clamp_min(0)).sqrt() * x0 + (1 - Gather(ab, (t - 1).clamp_min(0))).sqrt() * eps).Message);
        Assert.Contains("reshape the gathered", Chapter09Exercises.QSample((x0, t, eps, ab) => (x0.flatten(1).T * ab.index_select(0, t).sqrt()).T).Message);
    }

    [Fact]
    public void A_ddim_step_predicts_x0_and_renoises_it_to_the_previous_alpha_bar()
    {
        // Given the right step and typical mistakes
        static Tensor Step(Tensor x, Tensor eps, double at, double prev) =>
            Math.Sqrt(prev) * ((x - Math.Sqrt(1 - at) * eps) / Math.Sqrt(at)) + Math.Sqrt(1 - prev) * eps;
        // Then
        var right = Chapter09Exercises.DdimStep(Step);
        Assert.True(right.Solved, right.Message);
        Assert.Contains(Starter, Chapter09Exercises.DdimStep((_, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("√ᾱ_prev x̂_0 alone", Chapter09Exercises.DdimStep((x, eps, at, prev) => Math.Sqrt(prev) * ((x - Math.Sqrt(1 - at) * eps) / Math.Sqrt(at))).Message);
        Assert.Contains("swaps ᾱ_t and ᾱ_prev", Chapter09Exercises.DdimStep((x, eps, at, prev) => Step(x, eps, prev, at)).Message);
        Assert.Contains("removes (1 − ᾱ_t) ε", Chapter09Exercises.DdimStep((x, eps, at, prev) => Math.Sqrt(prev) * ((x - (1 - at) * eps) / Math.Sqrt(at)) + Math.Sqrt(1 - prev) * eps).Message);
    }

    [Fact]
    public void The_linear_schedule_ends_near_4e_5_and_starts_with_an_snr_near_10000()
    {
        // Then ᾱ_999 ≈ 4e-5 and SNR_0 ≈ 9999 are right; null, α_999 alone, zero, far off and an inverted SNR are not yet
        var right = Chapter09Exercises.PredictSchedule(4e-5, 9999);
        Assert.True(right.Solved, right.Message);
        Assert.True(Chapter09Exercises.PredictSchedule(Math.Exp(-10.05), 1e4).Solved);
        Assert.Contains("predictedLastAlphaBar is still null", Chapter09Exercises.PredictSchedule(null, 9999).Message);
        Assert.Contains("predictedFirstSnr is still null", Chapter09Exercises.PredictSchedule(4e-5, null).Message);
        Assert.Contains("α_999 alone", Chapter09Exercises.PredictSchedule(0.98, 9999).Message);
        Assert.Contains("never reaches 0", Chapter09Exercises.PredictSchedule(0, 9999).Message);
        Assert.Contains("far too large", Chapter09Exercises.PredictSchedule(0.3, 9999).Message);
        Assert.Contains("factor 1.5", Chapter09Exercises.PredictSchedule(1e-6, 9999).Message);
        Assert.Contains("turn it over", Chapter09Exercises.PredictSchedule(4e-5, 1e-4).Message);
        Assert.Contains("ratio of variances", Chapter09Exercises.PredictSchedule(4e-5, 100).Message);
    }

    private sealed class TimedConv : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Conv2d _in, _out;
        private readonly Linear _time;
        private readonly bool _ignoreT;
        public TimedConv(bool ignoreT = false) : base("timed")
        {
            _in = nn.Conv2d(1, 8, 3, padding: 1);
            _time = nn.Linear(8, 8);
            _out = nn.Conv2d(8, 1, 3, padding: 1);
            _ignoreT = ignoreT;
            RegisterComponents();
        }
        public override Tensor forward(Tensor x, Tensor t)
        {
            var h = _in.call(x);
            var e = _time.call(UNet.TimeEmbedding(t, 8));
            if (!_ignoreT) h = h + e.unsqueeze(-1).unsqueeze(-1);
            else h = h + 0 * e.sum();
            return _out.call(nn.functional.silu(h));
        }
    }

    private sealed class Flat : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear _linear = nn.Linear(784, 10);
        public Flat() : base("flat") => RegisterComponents();
        public override Tensor forward(Tensor x, Tensor t) => _linear.call(x.flatten(1)) + t.unsqueeze(1).to(float32);
    }

    [Fact]
    public void A_noise_predictor_keeps_the_image_shape_reads_t_and_trains_every_parameter()
    {
        // Then a small convolution with a time embedding is right; the starter, one that ignores t and a wrong shape are not yet
        var right = Chapter09Exercises.NoisePredictor(_ => new TimedConv());
        Assert.True(right.Solved, right.Message);
        Assert.Contains("it ignores t", Chapter09Exercises.NoisePredictor(_ => new TimedConv(ignoreT: true)).Message);
        Assert.Contains(Starter, Chapter09Exercises.NoisePredictor(_ => throw new NotImplementedException()).Message);
        Assert.Contains("expected [4, 1, 28, 28]", Chapter09Exercises.NoisePredictor(_ => new Flat()).Message);
    }

    [Fact]
    public void A_guidance_scale_that_puts_95_percent_on_their_side_needs_an_explanation()
    {
        const string why = "guidance extrapolates away from the unconditional noise, towards where the class is certain, so samples crowd there";
        // Then a large enough scale with an explanation is right; null, out of range, s = 1, below 1 or unexplained are not yet
        var right = Chapter09Exercises.GuidanceScale(4, why);
        Assert.True(right.Solved, right.Message);
        Assert.Contains("guidanceScale is still null", Chapter09Exercises.GuidanceScale(null, why).Message);
        Assert.Contains("between 0 and 50", Chapter09Exercises.GuidanceScale(60, why).Message);
        Assert.Contains("raise the scale", Chapter09Exercises.GuidanceScale(1, why).Message);
        Assert.Contains("is below 1", Chapter09Exercises.GuidanceScale(0, why).Message);
        Assert.Contains("guidanceExplanation is empty", Chapter09Exercises.GuidanceScale(4, "").Message);
    }
}
