using DeepLearning.Course.Data;

namespace Benchmarks.Workloads;

/// <summary>
/// The chapters' reference models, configured as their chapters configure them. A model whose
/// type is not in the library yet has no factory here and is reported as not available.
/// </summary>
internal static class ReferenceModels
{
    private static ClassificationData? _fashion;

    /// <summary>Fashion-MNIST as chapters 02 and 03 load it (50,000 training images), loaded once.</summary>
    public static ClassificationData Fashion => _fashion ??= FashionMnist.Load(seed: 0);

    /// <summary>Factories by name; names of <see cref="BenchOptions.AllModels"/> missing here are reported as not available.</summary>
    public static IReadOnlyDictionary<string, Func<BenchOptions, Workload>> Factories { get; } = new Dictionary<string, Func<BenchOptions, Workload>>
    {
        ["mlp"] = MlpWorkload.Create,
        ["cnn"] = CnnWorkload.Create,
        ["lstm"] = LstmWorkload.Create,
        ["dotproduct"] = DotProductWorkload.Create,
        ["gpt"] = GptWorkload.Create,
        ["dcgan"] = DcGanWorkload.Create,
        ["dqn"] = DqnWorkload.Create,
        ["gcn"] = GcnWorkload.Create,
        ["vae"] = VaeWorkload.Create,
        ["seq2seq"] = Seq2SeqWorkload.Create,
        ["unet"] = UNetWorkload.Create,
    };

    /// <summary>Why a model without a factory is missing.</summary>
    public static IReadOnlyDictionary<string, string> Missing { get; } = new Dictionary<string, string>
    {
        ["lstm"] = "Models/CharRnn (chapter 04) is not in the library on this commit",
        ["dotproduct"] = "Models/DotProductBias (chapter 05) is not in the library on this commit",
        ["gpt"] = "Models/Gpt (chapter 06) is not in the library on this commit",
        ["dcgan"] = "Models/DcGan + Training/GanTrainer (chapter 07) are not in the library on this commit",
        ["vae"] = "Models/Vae (chapter 08) is not in the library on this commit",
    };
}
