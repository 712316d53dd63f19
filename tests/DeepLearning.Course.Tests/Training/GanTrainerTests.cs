using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class GanTrainerTests
{
    private static List<Tensor> Batches(Tensor data, int batchSize) =>
        Enumerable.Range(0, (int)(data.shape[0] / batchSize)).Select(i => data[(i * batchSize)..((i + 1) * batchSize)]).ToList();

    [Fact]
    public void Vanilla_gan_moves_a_linear_generator_onto_a_shifted_gaussian()
    {
        // Given 1-D data from N(3, 0.5) and a linear generator that starts near N(0, 1)
        manual_seed(0);
        var data = randn(2048, 1) * 0.5 + 3;
        using var g = new Mlp(new MlpConfig(Inputs: 1, Hidden: [], Outputs: 1));
        using var d = new Mlp(new MlpConfig(Inputs: 1, Hidden: [16], Outputs: 1, Activation: "tanh"));
        using var gan = new GanTrainer(g, d, new GanTrainerOptions
        {
            Epochs = 15, LatentDim = 1, GeneratorLearningRate = 0.02, DiscriminatorLearningRate = 0.02, ShowProgress = false,
            Device = CPU,
        });
        // When the GAN trains
        var history = gan.Fit(Batches(data, 64));
        // Then the samples' mean is close to 3, and each epoch recorded both losses and D's outputs
        using var samples = gan.Sample(4000);
        Assert.InRange(samples.mean().item<float>(), 2.6, 3.4);
        Assert.Equal(15, history.Epochs.Count);
        Assert.Equal(["loss_d", "loss_g", "d_x", "d_g_z"], history.Keys);
        Assert.All(history["d_x"], v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void Wgan_gp_steps_the_generator_once_per_n_critic_steps_and_moves_it_towards_the_data()
    {
        // Given 1-D data from N(3, 0.5), a linear generator and an MLP critic, 5 critic steps per generator step
        manual_seed(1);
        var data = randn(2048, 1) * 0.5 + 3;
        using var g = new Mlp(new MlpConfig(Inputs: 1, Hidden: [], Outputs: 1));
        using var d = new Mlp(new MlpConfig(Inputs: 1, Hidden: [32], Outputs: 1));
        using var gan = new GanTrainer(g, d, new GanTrainerOptions
        {
            Epochs = 25, LatentDim = 1, Loss = GanLoss.WassersteinGp, DiscriminatorSteps = 5,
            GeneratorLearningRate = 0.02, DiscriminatorLearningRate = 0.02, Beta1 = 0.5, Beta2 = 0.9, ShowProgress = false, Device = CPU,
        });
        var batches = Batches(data, 64);
        // When five single steps run by hand, then a full run
        var steps = Enumerable.Range(0, 5).Select(i => gan.Step(batches[i])).ToList();
        double before;
        using (var s = gan.Sample(4000)) before = s.mean().item<float>();
        gan.Fit(batches);
        // Then only the fifth step updated the generator, and training brought the mean close to 3
        Assert.Equal([false, false, false, false, true], steps.Select(s => s.LossG.HasValue));
        using var samples = gan.Sample(4000);
        Assert.InRange(samples.mean().item<float>(), 2.5, 3.5);
        Assert.True(Math.Abs(samples.mean().item<float>() - 3) < Math.Abs(before - 3));
    }

    [Fact]
    public void Gradient_penalty_of_a_linear_critic_is_its_squared_norm_error()
    {
        // Given a linear critic D(x) = w . x with ||w|| = 5 (its gradient is w everywhere)
        using var critic = nn.Linear(2, 1, hasBias: false);
        using (no_grad()) critic.weight!.copy_(tensor(new float[,] { { 3, 4 } }));
        using var real = randn(8, 2);
        using var fake = randn(8, 2);
        // When the penalty is computed between real and fake points
        using var penalty = GanTrainer.GradientPenalty(critic, real, fake);
        // Then it equals (5 - 1)^2 = 16, and it can be backpropagated into the critic
        Assert.Equal(16, penalty.item<float>(), 3);
        penalty.backward();
        // d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w|| = 1.6 w
        Assert.True(critic.weight!.grad!.allclose(tensor(new float[,] { { 4.8f, 6.4f } }), rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Dcgan_trains_a_step_and_samples_images()
    {
        // Given a small DCGAN and a batch of "images"
        manual_seed(0);
        var config = new DcGanConfig(LatentDim: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);
        using var g = new DcGanGenerator(config);
        using var d = new DcGanDiscriminator(config);
        using var gan = new GanTrainer(g, d, new GanTrainerOptions { Epochs = 1, LatentDim = 8, ShowProgress = false, Device = CPU });
        using var real = rand(16, 1, 28, 28) * 2 - 1;
        // When it trains one epoch of two batches and samples
        var history = gan.Fit([real, real]);
        using var images = gan.Sample(3);
        // Then the losses are finite and the samples are images
        Assert.True(double.IsFinite(history.Last["loss_d"]) && double.IsFinite(history.Last["loss_g"]));
        Assert.Equal([3L, 1L, 28L, 28L], images.shape);
        Assert.True(g.training);
    }
}

[Collection("Console")] // runs alone: two runs compared step for step on the global random generator
public class GanTrainerHistoryTests
{
    [Fact]
    public void Fit_on_an_unlabelled_loader_records_each_value_as_a_mean_over_the_steps_that_reported_it()
    {
        // Given two identical WGAN-GP setups (2 critic steps per generator step) and unlabelled data in batches of 64, 64, 64, 8
        static GanTrainer Make()
        {
            manual_seed(7);
            var g = new Mlp(new MlpConfig(Inputs: 1, Hidden: [], Outputs: 1));
            var d = new Mlp(new MlpConfig(Inputs: 1, Hidden: [8], Outputs: 1));
            return new GanTrainer(g, d, new GanTrainerOptions
            {
                Epochs = 1, LatentDim = 1, Loss = GanLoss.WassersteinGp, DiscriminatorSteps = 2, ShowProgress = false, Device = CPU,
            });
        }
        manual_seed(0);
        var data = randn(200, 1) + 3;
        using var fitted = Make();
        using var byHand = Make();

        // When one trains one epoch through Fit and the other takes the same steps by hand
        manual_seed(11);
        var history = fitted.Fit(new DeepLearning.Course.Data.DataLoader(data, 64, shuffle: true, seed: 3));
        manual_seed(11);
        var steps = new DeepLearning.Course.Data.DataLoader(data, 64, shuffle: true, seed: 3).Select(b => byHand.Step(b.Features)).ToList();

        // Then every key is the plain mean per step (the short last batch counts once), loss_g over the generator's steps only
        Assert.Equal(4, steps.Count);
        Assert.Equal(["loss_d", "loss_g", "d_x", "d_g_z"], history.Keys);
        Assert.Equal(steps.Average(s => s.LossD), history.Last["loss_d"], 12);
        Assert.Equal(steps.Where(s => s.LossG.HasValue).Average(s => s.LossG!.Value), history.Last["loss_g"], 12);
        Assert.Equal(steps.Average(s => s.DOfX), history.Last["d_x"], 12);
        Assert.Equal(steps.Average(s => s.DOfGz), history.Last["d_g_z"], 12);
        Assert.Equal(1, history.BestEpoch);
    }
}
