using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 07's DCGAN on Fashion-MNIST scaled to [-1, 1]: default <c>DcGanConfig</c> (latent 64,
/// widths 32), trained through <c>GanTrainer</c> (vanilla loss, Adam 2e-4, betas 0.5/0.999), batch 64.
/// One step = one discriminator and one generator update.
/// </summary>
internal sealed class DcGanWorkload : Workload
{
    private const int Batch = 64;
    private const double LearningRate = 2e-4;
    private readonly DcGanConfig _config = new();
    private readonly Tensor _images;
    private readonly DataLoader _loader;
    private readonly DcGanGenerator _g, _handG;
    private readonly DcGanDiscriminator _d, _handD;
    private optim.Optimizer? _handOptG, _handOptD;
    private readonly Dictionary<int, GanTrainer> _trainers = [];
    private int _handSeed;

    private DcGanWorkload()
    {
        using (var scope = NewDisposeScope())
            _images = (ReferenceModels.Fashion.Train.Features * 2 - 1).MoveToOuterDisposeScope().DetachFromDisposeScope(); // (N, 1, 28, 28) in [-1, 1]
        _loader = new DataLoader(_images, Batch, shuffle: true, seed: 0); // unlabelled, as chapter 07 feeds the GAN
        manual_seed(0);
        (_g, _d) = (new DcGanGenerator(_config), new DcGanDiscriminator(_config));
        manual_seed(0);
        (_handG, _handD) = (new DcGanGenerator(_config), new DcGanDiscriminator(_config));
    }

    /// <summary>The hand-written loop's optimizers, made on first use (after <see cref="Workload.HandUsesCourseOptimizer"/> is set).</summary>
    private (optim.Optimizer G, optim.Optimizer D) HandOptimizers()
    {
        if (_handOptG is null || _handOptD is null)
        {
            (_handOptG, _handOptD) = HandUsesCourseOptimizer
                ? (new CourseAdam(_handG.parameters(), LearningRate, 0.5, 0.999), new CourseAdam(_handD.parameters(), LearningRate, 0.5, 0.999))
                : (optim.Adam(_handG.parameters(), LearningRate, beta1: 0.5, beta2: 0.999), optim.Adam(_handD.parameters(), LearningRate, beta1: 0.5, beta2: 0.999));
        }
        return (_handOptG, _handOptD);
    }

    public static Workload Create(BenchOptions options) => new DcGanWorkload();

    public override string Name => "dcgan";

    public override string Title => $"DcGan latent {_config.LatentDim}, widths {_config.GeneratorWidth}/{_config.DiscriminatorWidth}, GanTrainer (D + G step), Adam 2e-4 β1 0.5, batch {Batch} (ch07, Fashion-MNIST)";

    public override string Unit => "examples/s";

    public override long ItemsPerStep => Batch;

    public override int MaxSteps => (int)(_images.shape[0] / Batch);

    public override string PythonModule => "dcgan";

    public override void WritePeerData(string directory)
    {
        Npy.Write(Path.Combine(directory, "X.npy"), _images);
        WriteConfig(directory, PythonModule, new JsonObject
        {
            ["latent_dim"] = _config.LatentDim, ["generator_width"] = _config.GeneratorWidth, ["discriminator_width"] = _config.DiscriminatorWidth,
            ["channels"] = _config.Channels, ["lr_g"] = LearningRate, ["lr_d"] = LearningRate, ["beta1"] = 0.5, ["beta2"] = 0.999, ["batch_size"] = Batch,
        });
    }

    private GanTrainerOptions Options(int batches) => new()
    {
        Epochs = 1, LatentDim = _config.LatentDim, GeneratorLearningRate = LearningRate, DiscriminatorLearningRate = LearningRate,
        Beta1 = 0.5, Beta2 = 0.999, MaxBatchesPerEpoch = batches, ShowProgress = false, Device = CPU,
    };

    /// <summary><c>GanTrainer.Fit</c> for one capped epoch (one trainer per step count, so its optimizers keep their state like a chapter's).</summary>
    public override double LibrarySeconds(int steps)
    {
        if (!_trainers.TryGetValue(steps, out var trainer))
            _trainers[steps] = trainer = new GanTrainer(_g, _d, Options(steps));
        return Time(() => trainer.Fit(_loader));
    }

    /// <summary>GanTrainer.Step's work written by hand: fake batch, D update on real and detached fake, D(x) and D(G(z)), G update.</summary>
    public override double HandSeconds(int steps) => Time(() =>
    {
        var (optG, optD) = HandOptimizers();
        _handG.train();
        _handD.train();
        using var epoch = NewDisposeScope();
        var order = randperm(_images.shape[0], generator: new Generator((ulong)++_handSeed));
        double sum = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var real = _images.index_select(0, order.narrow(0, (long)i * Batch, Batch));
            var n = real.shape[0];
            var fake = _handG.call(randn(n, _config.LatentDim));
            optD.zero_grad();
            var realScore = _handD.call(real).reshape(n);
            var fakeScore = _handD.call(fake.detach()).reshape(n);
            var lossD = (nn.functional.binary_cross_entropy_with_logits(realScore, ones_like(realScore))
                       + nn.functional.binary_cross_entropy_with_logits(fakeScore, zeros_like(fakeScore))) / 2;
            sum += realScore.detach().sigmoid().mean().item<float>() + fakeScore.detach().sigmoid().mean().item<float>();
            lossD.backward();
            optD.step();
            sum += lossD.item<float>();
            optG.zero_grad();
            var score = _handD.call(fake).reshape(n);
            var lossG = nn.functional.binary_cross_entropy_with_logits(score, ones_like(score));
            lossG.backward();
            optG.step();
            optD.zero_grad();
            sum += lossG.item<float>();
        }
        GC.KeepAlive(sum);
    });

    public override IReadOnlyList<long> LiveTensorsPerEpoch(int epochs, int batchesPerEpoch)
    {
        var counts = new List<long> { LiveTensors() };
        using var trainer = new GanTrainer(_g, _d, Options(batchesPerEpoch) with { Epochs = epochs, EpochEnd = _ => counts.Add(LiveTensors()) });
        trainer.Fit(_loader);
        counts.Add(LiveTensors());
        return counts;
    }

    public override void Dispose()
    {
        foreach (var t in _trainers.Values) t.Dispose();
        _handOptG?.Dispose();
        _handOptD?.Dispose();
        _g.Dispose();
        _d.Dispose();
        _handG.Dispose();
        _handD.Dispose();
        _images.Dispose();
    }
}
