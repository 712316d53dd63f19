using DeepLearning.Course.Data;
using static TorchSharp.torch;

namespace Benchmarks.Workloads;

/// <summary>The Moby Dick character setup chapters 04 and 06 share: contiguous 80/10/10 split, character vocabulary, windows of 64.</summary>
internal static class TextData
{
    public const int Window = 64;

    private static (Tensor X, Tensor Y, int Vocab)? _windows;

    public static (Tensor X, Tensor Y, int Vocab) Windows
    {
        get
        {
            if (_windows is null)
            {
                var text = MobyDick.Load();
                var split = TextSplits.Contiguous(text, 0.1, 0.1);
                var vocab = Vocabulary.BuildCharacters([split.Train]);
                var (X, Y) = Sequences.NextToken(vocab.EncodeText(split.Train), Window);
                _windows = (X.DetachFromDisposeScope(), Y.DetachFromDisposeScope(), vocab.Count);
            }
            return _windows.Value;
        }
    }
}
