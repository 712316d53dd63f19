using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>
/// Chapter 09's denoising step: a class-conditional <c>UNet</c> (<c>UNetConfig(Width: 16, Classes: 10)</c>, 126,209
/// parameters) inside <c>Ddpm</c> (<c>DdpmConfig()</c>: T = 1000, linear schedule, label dropout 0.2), trained through
/// <c>Trainer</c> with <c>Step = ddpm.TrainingStep</c>, Adam 1e-3, batch 128, on random 28x28 images with random labels
/// (the step's cost does not depend on the pixels; no data set needed). One step = rescale to [-1, 1], <c>Ddpm.Loss</c>
/// (random <c>t</c>, noise, closed-form <c>q(x_t | x_0)</c>, label dropout, the U-Net's noise prediction, MSE), backward, Adam.
/// </summary>
internal sealed class UNetWorkload : Workload
{
    /// <summary>Parameters of <c>UNet(new UNetConfig(Width: 16, Classes: 10))</c>; the peer asserts the same count.</summary>
    public const long Parameters = 126_209;

    private const int Batch = 128;
    private const double LearningRate = 1e-3;
    private const int Images = 32 * Batch;
    private readonly UNetConfig _config = new(Width: 16, Classes: 10);
    private readonly DdpmConfig _ddpmConfig = new();
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly DataLoader _loader;
    // One model instance trained by both loops (see SupervisedWorkload for why).
    private readonly UNet _unet;
    private readonly Ddpm _ddpm;
    private int _handSeed;

    private UNetWorkload()
    {
        manual_seed(0);
        _images = rand(Images, 1, 28, 28);                       // (N, 1, 28, 28) in [0, 1]; TrainingStep maps them to [-1, 1]
        _labels = randint(0, _config.Classes, [Images], dtype: int64);   // (N)
        _loader = new DataLoader(_images, _labels, Batch, shuffle: true, seed: 0);
        manual_seed(0);
        _unet = new UNet(_config);
        var count = _unet.parameters().Sum(p => p.numel());
        if (count != Parameters)
            throw new InvalidOperationException($"UNet(Width 16, Classes 10) has {count:N0} parameters, not {Parameters:N0}: the PyTorch peer would build another network.");
        _ddpm = new Ddpm(_unet, _ddpmConfig);
    }

    public static Workload Create(BenchOptions options) => new UNetWorkload();

    public override string Name => "unet";

    public override string Title => $"UNet width {_config.Width}, {_config.Classes} classes ({Parameters:N0} params), Ddpm T {_ddpmConfig.Steps} linear, " +
                                    $"Trainer + ddpm.TrainingStep, Adam 1e-3, batch {Batch} (ch09, random 28x28)";

    public override string Unit => "examples/s";

    public override long ItemsPerStep => Batch;

    public override int MaxSteps => Images / Batch;

    /// <summary>Multiply-adds per image of every convolution, transposed convolution and linear layer (28x28, one channel).</summary>
    internal static double MacsPerImage(int w)
    {
        int e = 4 * w;
        const double full = 28 * 28, half = 14 * 14, quarter = 7 * 7;
        static double Conv(double pixels, int cin, int cout, int k) => pixels * cin * cout * k * k;
        static double Block(double pixels, int cin, int cout, int e) =>
            Conv(pixels, cin, cout, 3) + Conv(pixels, cout, cout, 3) + (cin != cout ? Conv(pixels, cin, cout, 1) : 0) + (double)e * cout;
        return (double)w * e + (double)e * e                                       // time MLP
               + Conv(full, 1, w, 3) + Block(full, w, w, e)                         // input, down1
               + Conv(half, w, w, 3) + Block(half, w, 2 * w, e)                     // downsample1 (stride 2), down2
               + Conv(quarter, 2 * w, 2 * w, 3) + Block(quarter, 2 * w, 2 * w, e)   // downsample2, middle
               + Conv(quarter, 2 * w, 2 * w, 4) + Block(half, 4 * w, 2 * w, e)     // upsample2 (per input pixel), up2
               + Conv(half, 2 * w, w, 4) + Block(full, 2 * w, w, e)                 // upsample1, up1
               + Conv(full, w, 1, 3);                                               // output
    }

    public override double? ForwardFlopsPerStep => 2.0 * MacsPerImage(_config.Width) * Batch;

    public override string? FlopsNote =>
        "convolutions (transposed ones per input pixel), 1x1 shortcuts, time MLP and the blocks' embedding projections: 2·B·MACs; group norm, SiLU, embedding lookup not counted";

    public override string PythonModule => "unet";

    public override void WritePeerData(string directory)
    {
        Npy.Write(Path.Combine(directory, "X.npy"), _images);
        Npy.Write(Path.Combine(directory, "y.npy"), _labels);
        WriteConfig(directory, PythonModule, new JsonObject
        {
            ["channels"] = _config.Channels, ["width"] = _config.Width, ["classes"] = _config.Classes, ["groups"] = _config.Groups,
            ["steps"] = _ddpmConfig.Steps, ["label_dropout"] = _ddpmConfig.LabelDropout, ["parameters"] = Parameters,
            ["lr"] = LearningRate, ["batch_size"] = Batch,
        });
    }

    private TrainerOptions Options(int batches) => new()
    {
        Epochs = 1, Optimizer = Optimizers.Adam(), LearningRate = LearningRate, Step = _ddpm.TrainingStep,
        MaxBatchesPerEpoch = batches, ShowProgress = false, Device = CPU,
    };

    /// <summary>One <c>Trainer.Fit</c> epoch capped at <paramref name="steps"/> batches with <c>Step = ddpm.TrainingStep</c> (minus the progress board).</summary>
    public override double LibrarySeconds(int steps)
    {
        var trainer = new Trainer(Options(steps));
        return Time(() => trainer.Fit(_unet, _loader));
    }

    /// <summary>
    /// <c>ddpm.TrainingStep</c>'s work written by hand: a permutation and index_select per batch, zero_grad, the rescale to
    /// [-1, 1], random <c>t</c> and noise, <c>√ᾱ_t x_0 + √(1 − ᾱ_t) ε</c> from the schedule, label dropout, the U-Net, MSE,
    /// its value, backward, step; a dispose scope per batch.
    /// </summary>
    public override double HandSeconds(int steps) => Time(() =>
    {
        using var optimizer = HandUsesCourseOptimizer ? Optimizers.Adam()(_unet.parameters(), LearningRate, 0) : optim.Adam(_unet.parameters(), LearningRate);
        _unet.train();
        using var epoch = NewDisposeScope();
        var order = randperm(_images.shape[0], generator: new Generator((ulong)++_handSeed));
        var alphaBars = _ddpm.AlphaBars;
        var diffusionSteps = _ddpmConfig.Steps;
        var nullLabel = _config.Classes;
        double sum = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var rows = order.narrow(0, (long)i * Batch, Batch);
            var x0 = _images.index_select(0, rows) * 2 - 1;
            var labels = _labels.index_select(0, rows);
            optimizer.zero_grad();
            var t = randint(0, diffusionSteps, [Batch], dtype: int64);
            var noise = randn_like(x0);
            var alphaBar = alphaBars.index_select(0, t).reshape(-1, 1, 1, 1);
            var xt = alphaBar.sqrt() * x0 + (1 - alphaBar).sqrt() * noise;
            labels = labels.masked_fill(rand(Batch).lt(_ddpmConfig.LabelDropout), nullLabel);
            var loss = nn.functional.mse_loss(_unet.call(xt, t, labels), noise);
            sum += loss.item<float>();
            loss.backward();
            optimizer.step();
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
                return _ddpm.TrainingStep(c);
            },
        });
        trainer.Fit(_unet, _loader);
        counts.Add(LiveTensors()); // after Fit returns
        return counts;
    }

    public override void Dispose()
    {
        _ddpm.Dispose();
        _unet.Dispose();
        _images.Dispose();
        _labels.Dispose();
    }
}
