using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class DdpmTests
{
    private static UNet Small(int classes = 0) => new(new UNetConfig(Width: 8, Classes: classes, Groups: 4));

    [Fact]
    public void The_linear_schedule_rises_from_1e_4_to_0_02_over_1000_steps()
    {
        // When the linear schedule for T = 1000 is built
        using var betas = Ddpm.Schedule(NoiseSchedule.Linear, 1000);
        // Then it has 1000 values from 1e-4 to 0.02, evenly spaced
        Assert.Equal([1000L], betas.shape);
        Assert.Equal(1e-4, betas[0].item<float>(), 1e-9);
        Assert.Equal(0.02, betas[999].item<float>(), 1e-8);
        Assert.Equal(0.0001 + 0.0199 / 999 * 500, betas[500].item<float>(), 1e-7);
    }

    [Fact]
    public void The_cosine_schedules_alpha_bar_falls_steadily_from_near_1_to_near_0()
    {
        // Given a cosine-schedule DDPM with T = 1000
        using var ddpm = new Ddpm(Small(), new DdpmConfig(Steps: 1000, Schedule: NoiseSchedule.Cosine));
        var alphaBars = ddpm.AlphaBars.data<float>().ToArray();
        // Then ᾱ decreases at every step, starts near 1 and ends near 0
        for (var t = 1; t < alphaBars.Length; t++)
            Assert.True(alphaBars[t] < alphaBars[t - 1], $"ᾱ_{t} = {alphaBars[t]} is not below ᾱ_{t - 1} = {alphaBars[t - 1]}");
        Assert.True(alphaBars[0] > 0.999, $"ᾱ_0 = {alphaBars[0]}");
        Assert.True(alphaBars[^1] < 1e-4, $"ᾱ_T-1 = {alphaBars[^1]}");
    }

    [Fact]
    public void QSample_is_the_closed_form_with_alpha_bar_the_running_product_of_one_minus_beta()
    {
        // Given a linear-schedule DDPM, three images, their noise and three time steps
        using var ddpm = new Ddpm(Small());
        var g = new Generator(5);
        using var x0 = rand([3, 1, 4, 4], generator: g) * 2 - 1;
        using var noise = randn([3, 1, 4, 4], generator: g);
        int[] steps = [0, 10, 999];
        // When they are noised in one step
        using var xt = ddpm.QSample(x0, tensor(steps.Select(s => (long)s).ToArray()), noise);
        // Then each is √ᾱ_t x0 + √(1 − ᾱ_t) ε with ᾱ_t = ∏_{s ≤ t} (1 − β_s) computed by hand
        var betas = ddpm.Betas.data<float>().ToArray();
        for (var i = 0; i < steps.Length; i++)
        {
            var alphaBar = 1.0;
            for (var s = 0; s <= steps[i]; s++) alphaBar *= 1 - betas[s];
            using var expected = Math.Sqrt(alphaBar) * x0[i] + Math.Sqrt(1 - alphaBar) * noise[i];
            Assert.True(xt[i].allclose(expected, rtol: 1e-4, atol: 1e-5), $"t = {steps[i]}");
        }
    }

    [Fact]
    public void QSample_has_the_distribution_of_noising_one_step_at_a_time()
    {
        // Given a 50-step DDPM and 20,000 copies of one pixel value 0.8
        using var ddpm = new Ddpm(Small(), new DdpmConfig(Steps: 50));
        const int n = 20_000, t = 20;
        var g = new Generator(6);
        using var x0 = full(new long[] { n, 1, 1, 1 }, 0.8f);
        // When they are noised step by step, x_s = √(1 − β_s) x_{s−1} + √β_s z for s = 0 … t, and in one step by QSample
        var x = x0.clone();
        for (var s = 0; s <= t; s++)
        {
            var beta = ddpm.Betas[s].item<float>();
            var next = Math.Sqrt(1 - beta) * x + Math.Sqrt(beta) * randn([n, 1, 1, 1], generator: g);
            x.Dispose();
            x = next;
        }
        using var oneStep = ddpm.QSample(x0, full(n, (long)t, dtype: int64), randn([n, 1, 1, 1], generator: g));
        // Then both have mean √ᾱ_t · 0.8 and variance 1 − ᾱ_t, within sampling error
        var alphaBar = ddpm.AlphaBars[t].item<float>();
        foreach (var (name, sample) in new[] { ("step by step", x), ("QSample", oneStep) })
        {
            Assert.Equal(Math.Sqrt(alphaBar) * 0.8, sample.mean().item<float>(), 0.02);
            Assert.Equal(1 - alphaBar, sample.var().item<float>(), 0.03);
        }
        x.Dispose();
    }

    [Fact]
    public void Ancestral_and_ddim_sampling_give_grey_images_in_zero_to_one()
    {
        // Given an untrained 10-step DDPM
        manual_seed(7);
        using var ddpm = new Ddpm(Small(), new DdpmConfig(Steps: 10));
        var seen = new List<int>();
        // When it samples 3 images by each method
        using var ancestral = ddpm.Sample(3, generator: new Generator(1), onStep: (t, _) => seen.Add(t));
        using var ddim = ddpm.SampleDdim(3, 4, generator: new Generator(1));
        // Then both are (3, 1, 28, 28) in [0, 1], and the chain visits t = 9 … 0
        foreach (var images in new[] { ancestral, ddim })
        {
            Assert.Equal([3L, 1L, 28L, 28L], images.shape);
            Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
            Assert.False(images.requires_grad);
        }
        Assert.Equal(Enumerable.Range(0, 10).Reverse(), seen);
        Assert.True(ddpm.Model.training, "sampling leaves the model's training mode as it found it");
    }

    [Fact]
    public void Ddim_sampling_is_deterministic_for_a_seeded_generator()
    {
        // Given a 20-step DDPM
        manual_seed(8);
        using var ddpm = new Ddpm(Small(), new DdpmConfig(Steps: 20));
        // When it samples with DDIM from the same seed twice and from another seed
        using var a = ddpm.SampleDdim(2, 5, generator: new Generator(11));
        using var b = ddpm.SampleDdim(2, 5, generator: new Generator(11));
        using var c = ddpm.SampleDdim(2, 5, generator: new Generator(12));
        // Then the same seed gives the same images exactly, another seed other images
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a.allclose(c, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Guidance_0_is_the_unconditional_prediction_1_the_conditional_and_s_extrapolates()
    {
        // Given a conditional DDPM, noisy images, time steps and labels
        manual_seed(9);
        using var net = Small(classes: 3);
        net.eval();
        using var ddpm = new Ddpm(net, new DdpmConfig(Steps: 100));
        using var x = randn(2, 1, 28, 28);
        using var t = tensor(new long[] { 3, 70 });
        using var labels = tensor(new long[] { 0, 2 });
        using var unconditional = net.call(x, t, full(2, net.NullLabel, dtype: int64));
        using var conditional = net.call(x, t, labels);
        // When it predicts the noise with guidance 0, 1 and 3
        using var g0 = ddpm.PredictNoise(x, t, labels, guidance: 0);
        using var g1 = ddpm.PredictNoise(x, t, labels, guidance: 1);
        using var g3 = ddpm.PredictNoise(x, t, labels, guidance: 3);
        // Then 0 gives the unconditional prediction, 1 the conditional one, 3 goes three times as far from the first
        Assert.True(g0.allclose(unconditional, rtol: 1e-4, atol: 1e-5));
        Assert.True(g1.allclose(conditional, rtol: 1e-4, atol: 1e-5));
        Assert.True(g3.allclose(unconditional + 3 * (conditional - unconditional), rtol: 1e-4, atol: 1e-5));
        Assert.False(conditional.allclose(unconditional, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Bad_settings_and_inputs_are_refused_with_clear_messages()
    {
        // Given small DDPMs, one conditional
        using var plain = new Ddpm(Small(), new DdpmConfig(Steps: 10));
        using var conditional = new Ddpm(Small(classes: 3), new DdpmConfig(Steps: 10));
        // Then zero steps, a wrong label count, labels for an unconditional model and bad DDIM step counts are refused
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => new Ddpm(Small(), new DdpmConfig(Steps: 0)));
        Assert.Contains("Steps", steps.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ddpm(Small(), new DdpmConfig(LabelDropout: 1.5)));
        var count = Assert.Throws<ArgumentException>(() => conditional.Sample(3, labels: tensor(new long[] { 0, 1 })));
        Assert.Contains("2 labels for 3 images", count.Message);
        Assert.Contains("2 labels for 3 images", Assert.Throws<ArgumentException>(() => conditional.SampleDdim(3, 2, labels: tensor(new long[] { 0, 1 }))).Message);
        Assert.Contains("unconditional", Assert.Throws<ArgumentException>(() => plain.Sample(2, labels: tensor(new long[] { 0, 1 }))).Message);
        Assert.Contains("between 1 and T = 10", Assert.Throws<ArgumentOutOfRangeException>(() => plain.SampleDdim(2, 0)).Message);
        Assert.Contains("between 1 and T = 10", Assert.Throws<ArgumentOutOfRangeException>(() => plain.SampleDdim(2, 11)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.Sample(0));
    }
}
