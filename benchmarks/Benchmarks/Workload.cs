using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// One reference model's training workload, runnable three ways: through the library
/// (<c>Trainer</c> or <c>GanTrainer</c>), through a hand-written TorchSharp loop doing the same work
/// per step, and through the PyTorch peer (benchmarks/pytorch/MODULE.py) on the same arrays.
/// </summary>
internal abstract class Workload : IDisposable
{
    /// <summary>Short name used by --only and the JSON (mlp, cnn, ...).</summary>
    public abstract string Name { get; }

    /// <summary>What is trained, with its configuration (shown in the table).</summary>
    public abstract string Title { get; }

    /// <summary>Throughput unit: examples/s or tokens/s.</summary>
    public abstract string Unit { get; }

    /// <summary>Examples (or tokens) per optimizer step.</summary>
    public abstract long ItemsPerStep { get; }

    /// <summary>Most steps one repetition may take (one pass over the data).</summary>
    public abstract int MaxSteps { get; }

    /// <summary>Forward-pass FLOPs of one step (2 per multiply-add of matmuls and convolutions), when counted.</summary>
    public virtual double? ForwardFlopsPerStep => null;

    /// <summary>How the FLOPs were counted.</summary>
    public virtual string? FlopsNote => null;

    /// <summary>The PyTorch peer's module (benchmarks/pytorch/MODULE.py).</summary>
    public abstract string PythonModule { get; }

    /// <summary>Writes the arrays (.npy) and the configuration (MODULE.json) the peer loads.</summary>
    public abstract void WritePeerData(string directory);

    /// <summary>Wall time of <paramref name="steps"/> steps through the library.</summary>
    public abstract double LibrarySeconds(int steps);

    /// <summary>Set before the first run: the hand-written loop uses the course's optimizer instead of TorchSharp's stock one.</summary>
    public bool HandUsesCourseOptimizer { get; set; }

    /// <summary>Wall time of <paramref name="steps"/> steps through a hand-written TorchSharp loop.</summary>
    public abstract double HandSeconds(int steps);

    /// <summary>Live native tensors at the start of each epoch of a short library run (the memory idiom's check).</summary>
    public abstract IReadOnlyList<long> LiveTensorsPerEpoch(int epochs, int batchesPerEpoch);

    public virtual void Dispose()
    {
    }

    protected static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    protected static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    protected static void WriteConfig(string directory, string module, JsonObject config) =>
        File.WriteAllText(Path.Combine(directory, module + ".json"), config.ToJsonString());
}
