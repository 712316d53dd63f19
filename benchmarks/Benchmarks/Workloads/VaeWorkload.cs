using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 08's VAE: <c>Vae</c> 784-400-20 with Bernoulli logits on Fashion-MNIST binarised afresh for every batch
/// (dynamic binarisation, as the chapter's loader does), trained through <c>Trainer</c> with <c>Step = vae.ElboStep</c>,
/// Adam 1e-3, batch 128. One step = bernoulli draw, forward, negative ELBO (reconstruction + KL), backward, update.
/// </summary>
internal sealed class VaeWorkload : Workload
{
    private const int Batch = 128;
    private const double LearningRate = 1e-3;
    private readonly Tensor _images;
    private readonly DataLoader _loader;
    // One model instance trained by both loops (see SupervisedWorkload for why).
    private readonly Vae _vae;
    private int _handSeed;

    private VaeWorkload()
    {
        _images = ReferenceModels.Fashion.Train.Features;   // (N, 1, 28, 28) grey levels in [0, 1]
        _loader = new DataLoader(_images, Batch, shuffle: true, seed: 0).Select(b => b with { Features = bernoulli(b.Features) });
        manual_seed(0);
        _vae = new Vae();
    }

    public static Workload Create(BenchOptions options) => new VaeWorkload();

    public override string Name => "vae";

    public override string Title => $"VAE 784-400-20 Bernoulli, Trainer + vae.ElboStep, Adam 1e-3, batch {Batch}, dynamic binarisation (ch08, Fashion-MNIST)";

    public override string Unit => "examples/s";

    public override long ItemsPerStep => Batch;

    public override int MaxSteps => (int)(_images.shape[0] / Batch);

    public override double? ForwardFlopsPerStep => 2.0 * (784.0 * 400 + 400 * 20 * 2 + 20 * 400 + 400 * 784) * Batch;

    public override string? FlopsNote => "linear layers: 2·B·(784·400 + 2·400·20 + 20·400 + 400·784)";

    public override string PythonModule => "vae";

    public override void WritePeerData(string directory)
    {
        Npy.Write(Path.Combine(directory, "X.npy"), _images);
        WriteConfig(directory, PythonModule, new JsonObject
        {
            ["inputs"] = 784, ["hidden"] = 400, ["latent"] = 20, ["lr"] = LearningRate, ["batch_size"] = Batch,
        });
    }

    private TrainerOptions Options(int batches) => new()
    {
        Epochs = 1, Optimizer = Optimizers.Adam(), LearningRate = LearningRate, Step = _vae.ElboStep,
        MaxBatchesPerEpoch = batches, ShowProgress = false, Device = CPU,
    };

    /// <summary>One <c>Trainer.Fit</c> epoch capped at <paramref name="steps"/> batches, as chapter 08 calls it (minus the progress board).</summary>
    public override double LibrarySeconds(int steps)
    {
        var trainer = new Trainer(Options(steps));
        return Time(() => trainer.Fit(_vae, _loader));
    }

    /// <summary>
    /// <c>vae.ElboStep</c>'s work written by hand: a permutation, index_select and a Bernoulli draw per batch, zero_grad,
    /// encoder, reparameterisation, decoder, the summed binary cross-entropy and the closed-form KL, the mean, its value
    /// and the two terms' values, backward, step; a dispose scope per batch.
    /// </summary>
    public override double HandSeconds(int steps) => Time(() =>
    {
        using var optimizer = HandUsesCourseOptimizer ? Optimizers.Adam()(_vae.parameters(), LearningRate, 0) : optim.Adam(_vae.parameters(), LearningRate);
        _vae.train();
        using var epoch = NewDisposeScope();
        var order = randperm(_images.shape[0], generator: new Generator((ulong)++_handSeed));
        double sum = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = bernoulli(_images.index_select(0, order.narrow(0, (long)i * Batch, Batch)));
            optimizer.zero_grad();
            var (mean, logVariance) = _vae.Encode(x);
            var z = mean + (0.5 * logVariance).exp() * randn_like(mean);
            var logits = _vae.Decode(z);
            var reconstruction = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.None).reshape(Batch, -1).sum(1);
            var kl = -0.5 * (1 + logVariance - mean.square() - logVariance.exp()).sum(1);
            var loss = (reconstruction + kl).mean();
            sum += loss.item<float>();
            loss.backward();
            optimizer.step();
            sum += reconstruction.mean().item<float>() + kl.mean().item<float>();
        }
        GC.KeepAlive(sum);
    });

    public override IReadOnlyList<long> LiveTensorsPerEpoch(int epochs, int batchesPerEpoch)
    {
        var counts = new List<long>();
        var trainer = new Trainer(Options(batchesPerEpoch) with
        {
            Epochs = epochs,
            Step = c =>
            {
                if (c.Batch == 0) counts.Add(LiveTensors());
                return _vae.ElboStep(c);
            },
        });
        trainer.Fit(_vae, _loader);
        counts.Add(LiveTensors()); // after Fit returns
        return counts;
    }

    public override void Dispose() => _vae.Dispose();
}
